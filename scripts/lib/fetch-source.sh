#!/usr/bin/env bash
# shellcheck shell=bash
# Fetch pristine upstream source from a Debian source package.
#
# Sourced by scripts/setup.sh and scripts/lib/fetch-libfdt.sh; expects log()
# and die() from the caller. Entry points:
#   debsrc_orig PKG CACHE_DIR LABEL   download (once) and verify PKG's .orig
#       tarball; sets DEBSRC_DSC, DEBSRC_ORIG (paths) and DEBSRC_VERSION
#   fetch_source PKG DEST_DIR CACHE_DIR
#       extract the whole .orig tarball into DEST_DIR (its top directory
#       stripped), with .stamp and .rivet-source files beside the code
#
# Run directly it fetches one package, for use by hand:
#   scripts/lib/fetch-source.sh PACKAGE [DEST_DIR]   (default deps/PACKAGE)
#
# We take the .orig tarball only, so what lands in DEST_DIR is unmodified
# upstream code (no Debian patches). The .dsc and tarballs are cached in
# CACHE_DIR/src (default ~/.cache/rivet); nothing is committed.
#
# Why a private apt state: we need deb-src entries without touching the
# system's sources lists or its package lists, and it must also work
# without root (setup.sh --no-apt).

DEBSRC_STAMP=.stamp   # inside DEST_DIR, so `rm -rf deps` also drops it

# Print the suite to fetch sources from: the system's release codename.
# Only the main suite is needed; -updates/-security carry no new upstream.
_debsrc_suite() {
	if [[ -n ${RIVET_DEBSRC_SUITE:-} ]]; then
		echo "$RIVET_DEBSRC_SUITE"
		return
	fi
	local codename
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[[ -n $codename ]] || die "cannot tell the Debian codename from /etc/os-release (set RIVET_DEBSRC_SUITE)"
	echo "$codename"
}

# Print the system's `deb` entries from deb822 *.sources files, one per
# line as: URIS<TAB>SUITES<TAB>COMPONENTS<TAB>OPTIONS (space-separated lists).
# An inline Signed-By key block is written to KEYDIR and referenced by path.
_deb822_entries() {
	local keydir=$1
	shift
	[[ $# -gt 0 ]] || return 0
	awk -v keydir="$keydir" '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no" && uris != "") {
				opts = ""
				if (signed != "") opts = "signed-by=" signed
				if (trusted != "") opts = opts (opts ? " " : "") "trusted=" trusted
				printf "%s\t%s\t%s\t%s\n", uris, suites, comps, opts
			}
			types = uris = suites = comps = signed = trusted = enabled = ""
			inkey = 0
		}
		FNR == 1 { flush() }
		/^#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ {                          # continuation line
			if (inkey) {
				line = substr($0, 2)
				if (line == ".") line = ""
				print line > keyfile
			}
			next
		}
		{
			if (inkey) { close(keyfile); inkey = 0 }
			field = tolower(substr($0, 1, index($0, ":") - 1))
			value = substr($0, index($0, ":") + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", value)
			if (field == "types") types = value
			else if (field == "uris") uris = value
			else if (field == "suites") suites = value
			else if (field == "components") comps = value
			else if (field == "enabled") enabled = value
			else if (field == "trusted") trusted = value
			else if (field == "signed-by") {
				if (value == "") {          # inline ASCII-armoured key
					keyfile = keydir "/inline-" (++nkeys) ".asc"
					printf "" > keyfile
					signed = keyfile
					inkey = 1
				} else {
					gsub(/[ \t]+/, ",", value)
					signed = value
				}
			}
		}
		END { flush() }
	' "$@"
}

# Print the system's one-line `deb` entries in the same tab-separated form.
_oneline_entries() {
	[[ $# -gt 0 ]] || return 0
	awk '
		/^[ \t]*deb[ \t]/ {
			sub(/^[ \t]*deb[ \t]+/, "")
			opts = ""
			if ($0 ~ /^\[/) {               # [opt=val ...]
				n = split(substr($0, 2, index($0, "]") - 2), o, " ")
				# Keep only what decides trust; arch= etc. mean nothing for deb-src.
				for (i = 1; i <= n; i++)
					if (o[i] ~ /^(signed-by|trusted)=/) opts = opts (opts ? " " : "") o[i]
				$0 = substr($0, index($0, "]") + 1)
			}
			comps = ""
			for (i = 3; i <= NF; i++) comps = comps (comps ? " " : "") $i
			printf "%s\t%s\t%s\t%s\n", $1, $2, comps, opts
		}
	' "$@"
}

# Write a one-line deb-src list for the system's archives, main suite only.
_write_debsrc_list() {
	local out=$1 keydir=$2 suite uris suites comps opts u s
	suite=$(_debsrc_suite)
	mkdir -p "$keydir"

	local -a d822=() one=()
	shopt -s nullglob
	d822=(/etc/apt/sources.list.d/*.sources)
	one=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	shopt -u nullglob
	local -a existing=()
	local f
	for f in "${one[@]}"; do [[ -f $f ]] && existing+=("$f"); done

	{
		_deb822_entries "$keydir" "${d822[@]}"
		_oneline_entries "${existing[@]}"
	} | while IFS=$'\t' read -r uris suites comps opts; do
		for s in $suites; do
			# Only the release suite: third-party repos (other suite names)
			# and -updates/-security are skipped.
			[[ $s == "$suite" ]] || continue
			for u in $uris; do
				echo "deb-src${opts:+ [$opts]} $u $s $comps"
			done
		done
	done | sort -u >"$out"

	[[ -s $out ]] || die "no 'deb ... $suite ...' entry found in /etc/apt sources; cannot set up deb-src"
}

# Run apt-get against the private state under APTDIR. Output goes to LOG.
_apt_private() {
	local aptdir=$1 log=$2
	shift 2
	local -a opts=(
		-o "Dir::Etc::SourceList=$aptdir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$aptdir/lists"
		-o "Dir::Cache=$aptdir/cache"
		-o Acquire::Languages=none   # Sources indexes only, no translations
	)
	# As root apt downloads as user _apt, who cannot enter $HOME (0700);
	# downloading as root avoids the warning. Signatures are still checked.
	[[ $(id -u) -eq 0 ]] && opts+=(-o APT::Sandbox::User=root)
	apt-get -q "${opts[@]}" "$@" >>"$log" 2>&1
}

# Print the newest cached .dsc of source package PKG in SRCDIR, if any.
_cached_dsc() {
	local srcdir=$1 pkg=$2
	shopt -s nullglob
	local -a dscs=("$srcdir/${pkg}_"*.dsc)
	shopt -u nullglob
	[[ ${#dscs[@]} -gt 0 ]] || return 0
	printf '%s\n' "${dscs[@]}" | sort -V | tail -n 1
}

# Print the .orig tarball name listed in a .dsc (first Files: match).
_orig_from_dsc() {
	awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 }
	     on && $3 ~ /\.orig\.tar\./ { print $3; exit }' "$1"
}

# Check a cached file against the sha256 recorded in the .dsc; the .dsc
# itself was verified by apt when downloaded.
_verify_sha256() {
	local dsc=$1 file=$2 want have
	want=$(awk -v f="$(basename "$file")" '/^Checksums-Sha256:/ { on = 1; next }
	       /^[^ ]/ { on = 0 } on && $3 == f { print $1; exit }' "$dsc")
	have=$(sha256sum "$file" | cut -d' ' -f1)
	[[ -n $want && $want == "$have" ]]
}

# Make sure source package PKG is in CACHE/src; print the path of its .dsc.
# LABEL prefixes the progress messages.
_ensure_source_cached() {
	local cache=$1 pkg=$2 label=$3 dsc
	local srcdir=$cache/src aptdir=$cache/apt log=$cache/logs/apt-source.log
	mkdir -p "$srcdir" "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "${log%/*}"

	dsc=$(_cached_dsc "$srcdir" "$pkg")
	if [[ -n $dsc && -f $srcdir/$(_orig_from_dsc "$dsc") ]]; then
		log "$label: using cached $(basename "$dsc")"
		echo "$dsc"
		return
	fi

	log "$label: downloading $pkg source package (deb-src, private apt state)"
	: >"$log"
	_write_debsrc_list "$aptdir/sources.list" "$aptdir/keys"
	_apt_private "$aptdir" "$log" update ||
		die "apt-get update (deb-src) failed; see $log"
	(cd "$srcdir" && _apt_private "$aptdir" "$log" source --download-only "$pkg") ||
		die "apt-get source $pkg failed; see $log"

	dsc=$(_cached_dsc "$srcdir" "$pkg")
	[[ -n $dsc ]] || die "no $pkg .dsc in $srcdir after download; see $log"
	echo "$dsc"
}

# Take the cache lock (fd 9): serialises concurrent setups sharing one cache
# (e.g. two clones). Released by debsrc_unlock or when the process exits.
debsrc_lock() {
	mkdir -p "$1"
	exec 9>"$1/.lock"
	flock 9
}

debsrc_unlock() { exec 9>&-; }

debsrc_orig() {
	local pkg=$1 cache=$2 label=$3
	DEBSRC_DSC=$(_ensure_source_cached "$cache" "$pkg" "$label")
	DEBSRC_ORIG=$(_orig_from_dsc "$DEBSRC_DSC")
	[[ -n $DEBSRC_ORIG ]] || die "no .orig tarball listed in $DEBSRC_DSC"
	DEBSRC_ORIG=${DEBSRC_DSC%/*}/$DEBSRC_ORIG
	_verify_sha256 "$DEBSRC_DSC" "$DEBSRC_ORIG" ||
		die "checksum mismatch for $DEBSRC_ORIG (delete it to re-download)"
	DEBSRC_VERSION=$(awk '/^Version:/ { print $2; exit }' "$DEBSRC_DSC")
}

fetch_source() {
	local pkg=$1 dest=$2 cache=$3 tmp tops
	if [[ -f $dest/$DEBSRC_STAMP ]]; then
		log "$pkg: present ($(cat "$dest/$DEBSRC_STAMP"))"
		return
	fi
	mkdir -p "${dest%/*}"
	debsrc_lock "$cache"
	debsrc_orig "$pkg" "$cache" "$pkg"

	# Upstream tarballs hold one top directory (busybox-1.35.0/, ...): strip it.
	tops=$(tar -tf "$DEBSRC_ORIG" | cut -d/ -f1 | sort -u) ||
		die "cannot list $DEBSRC_ORIG"
	[[ -n $tops && $tops != *$'\n'* ]] ||
		die "$DEBSRC_ORIG has more than one top-level entry; cannot strip it"
	tmp=$(mktemp -d "${dest%/*}/.$pkg.XXXXXX")
	tar -xf "$DEBSRC_ORIG" -C "$tmp" --strip-components=1 --no-same-owner ||
		{ rm -rf "$tmp"; die "extracting $DEBSRC_ORIG failed"; }
	chmod +rx "$tmp"   # mktemp -d makes it 0700; this applies the umask
	cat >"$tmp/.rivet-source" <<EOT
$pkg, pristine upstream (no Debian patches applied), fetched by scripts/setup.sh.
Debian source package: $pkg $DEBSRC_VERSION
Tarball: $(basename "$DEBSRC_ORIG")
Tarball sha256: $(sha256sum "$DEBSRC_ORIG" | cut -d' ' -f1)
EOT
	echo "$pkg $DEBSRC_VERSION" >"$tmp/$DEBSRC_STAMP"
	rm -rf "$dest"
	mv "$tmp" "$dest"
	debsrc_unlock
	log "$pkg: extracted into ${dest#"${ROOT:-}"/} from $(basename "$DEBSRC_ORIG")"
}

# Run as a command (not sourced): fetch one package by hand.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	shopt -s inherit_errexit
	ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	log() { echo "fetch-source: $*" >&2; }
	die() {
		echo "fetch-source: error: $*" >&2
		exit 1
	}
	[[ $# -ge 1 && $# -le 2 && $1 != -* ]] ||
		die "usage: ${0##*/} PACKAGE [DEST_DIR]   (DEST_DIR defaults to deps/PACKAGE)"
	fetch_source "$1" "$(realpath -m "${2:-$ROOT/deps/$1}")" \
		"${RIVET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rivet}"
fi
