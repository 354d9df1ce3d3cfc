# shellcheck shell=bash
# Fetch pristine upstream libfdt from Debian's `u-boot` source package.
#
# Sourced by scripts/setup.sh; expects log() and die() from it.
# Entry point: fetch_libfdt DEST_DIR CACHE_DIR
#
# Why u-boot: libfdt ships inside it (scripts/dtc/libfdt/), and the Debian
# archive we can reach serves u-boot's source files but not those of
# device-tree-compiler. We take the .orig tarball only, so what lands in
# DEST_DIR is unmodified upstream code (no Debian patches).
#
# Why a private apt state: we need deb-src entries without touching the
# system's sources lists or its package lists, and it must also work
# without root (setup.sh --no-apt).

LIBFDT_SRC_PKG="u-boot"
LIBFDT_STAMP=.stamp   # inside DEST_DIR, so `rm -rf deps` also drops it

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

# Print the newest cached .dsc of the source package, if any.
_cached_dsc() {
	local srcdir=$1
	shopt -s nullglob
	local -a dscs=("$srcdir/${LIBFDT_SRC_PKG}_"*.dsc)
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

# Make sure the source package is in CACHE/src; print the path of its .dsc.
_ensure_source_cached() {
	local cache=$1 srcdir=$1/src aptdir=$1/apt log=$1/logs/apt-source.log dsc
	mkdir -p "$srcdir" "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "${log%/*}"

	dsc=$(_cached_dsc "$srcdir")
	if [[ -n $dsc && -f $srcdir/$(_orig_from_dsc "$dsc") ]]; then
		log "libfdt: using cached $(basename "$dsc")"
		echo "$dsc"
		return
	fi

	log "libfdt: downloading $LIBFDT_SRC_PKG source package (deb-src, private apt state)"
	: >"$log"
	_write_debsrc_list "$aptdir/sources.list" "$aptdir/keys"
	_apt_private "$aptdir" "$log" update ||
		die "apt-get update (deb-src) failed; see $log"
	(cd "$srcdir" && _apt_private "$aptdir" "$log" source --download-only "$LIBFDT_SRC_PKG") ||
		die "apt-get source $LIBFDT_SRC_PKG failed; see $log"

	dsc=$(_cached_dsc "$srcdir")
	[[ -n $dsc ]] || die "no $LIBFDT_SRC_PKG .dsc in $srcdir after download; see $log"
	echo "$dsc"
}

# Extract scripts/dtc/libfdt/* from ORIG into DEST (flattened).
_extract_libfdt() {
	local orig=$1 dest=$2 tmp top strip
	tmp=$(mktemp -d "${dest%/*}/.libfdt.XXXXXX")
	# The orig tarball's top-level dir name varies (u-boot-2023.01/, ...),
	# so match on */ and flatten everything above libfdt/.
	top=$(tar -tf "$orig" --wildcards '*/scripts/dtc/libfdt/fdt.h' 2>/dev/null) ||
		{ rm -rf "$tmp"; die "$orig has no scripts/dtc/libfdt/fdt.h"; }
	top=${top%%$'\n'*}
	strip=$(($(tr -cd / <<<"$top" | wc -c)))  # components up to and incl. libfdt/
	tar -xf "$orig" -C "$tmp" --wildcards --strip-components="$strip" '*/scripts/dtc/libfdt/*' ||
		{ rm -rf "$tmp"; die "extracting libfdt from $orig failed"; }
	chmod +rx "$tmp"   # mktemp -d makes it 0700; this applies the umask
	echo "$tmp"
}

fetch_libfdt() {
	local dest=$1 cache=$2 dsc orig version tmp
	if [[ -f $dest/fdt.h && -f $dest/$LIBFDT_STAMP ]]; then
		log "libfdt: present ($(cat "$dest/$LIBFDT_STAMP"))"
		return
	fi
	mkdir -p "$cache" "${dest%/*}"

	# Serialise concurrent setups sharing one cache (e.g. two clones).
	exec 9>"$cache/.lock"
	flock 9

	dsc=$(_ensure_source_cached "$cache")
	orig=$(_orig_from_dsc "$dsc")
	[[ -n $orig ]] || die "no .orig tarball listed in $dsc"
	orig=${dsc%/*}/$orig
	_verify_sha256 "$dsc" "$orig" || die "checksum mismatch for $orig (delete it to re-download)"
	version=$(awk '/^Version:/ { print $2; exit }' "$dsc")

	tmp=$(_extract_libfdt "$orig" "$dest")
	cat >"$tmp/SOURCE" <<EOF
libfdt, pristine upstream (no Debian patches applied), fetched by scripts/setup.sh.
Debian source package: $LIBFDT_SRC_PKG $version
Tarball: $(basename "$orig")
Tarball sha256: $(sha256sum "$orig" | cut -d' ' -f1)
Path in tarball: */scripts/dtc/libfdt/
License: GPL-2.0-or-later OR BSD-2-Clause (see the SPDX headers of each file)
EOF
	echo "$LIBFDT_SRC_PKG $version" >"$tmp/$LIBFDT_STAMP"
	rm -rf "$dest"
	mv "$tmp" "$dest"
	exec 9>&-
	log "libfdt: extracted into ${dest#"$ROOT"/} from $(basename "$orig")"
}
