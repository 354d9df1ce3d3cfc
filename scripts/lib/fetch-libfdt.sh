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
# The download, cache and checksum machinery (a private deb-src apt state)
# is shared with other packages: see fetch-source.sh.

# shellcheck source-path=SCRIPTDIR source=fetch-source.sh
. "$(dirname "${BASH_SOURCE[0]}")/fetch-source.sh"

LIBFDT_SRC_PKG="u-boot"
LIBFDT_STAMP=$DEBSRC_STAMP

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
	local dest=$1 cache=$2 orig version tmp
	if [[ -f $dest/fdt.h && -f $dest/$LIBFDT_STAMP ]]; then
		log "libfdt: present ($(cat "$dest/$LIBFDT_STAMP"))"
		return
	fi
	mkdir -p "${dest%/*}"

	debsrc_lock "$cache"
	debsrc_orig "$LIBFDT_SRC_PKG" "$cache" libfdt
	orig=$DEBSRC_ORIG
	version=$DEBSRC_VERSION

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
	debsrc_unlock
	log "libfdt: extracted into ${dest#"$ROOT"/} from $(basename "$orig")"
}
