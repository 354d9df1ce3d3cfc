#!/usr/bin/env bash
# Build the reference Linux the benchmarks run against (docs/performance.md):
# Debian's `linux` source package (pristine upstream .orig tarball, fetched
# through the same private deb-src state as setup.sh), configured as
# `make allnoconfig` + bench/linux-minimal.config, cross-built for riscv64.
#
#   scripts/build-linux-minimal.sh   -> deps/linux-minimal/Image (+ .config, .rivet-source)
#
# Not part of setup.sh or CI: a 140 MB download and a long build (tens of
# minutes on 2 cores; it runs under nice). Built once: a second run with an
# unchanged fragment only checks and returns. Environment:
#   RIVET_LINUX_MINIMAL_DIR   output directory (default deps/linux-minimal)
#   RIVET_CACHE               download and build cache (default ~/.cache/rivet)
#   JOBS                      make -j (default: the number of cores)
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${RIVET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rivet}
DEST=${RIVET_LINUX_MINIMAL_DIR:-$ROOT/deps/linux-minimal}
FRAGMENT=$ROOT/bench/linux-minimal.config
JOBS=${JOBS:-$(nproc)}
CROSS=${RIVET_CROSS_PREFIX:-riscv64-linux-gnu-}

log() { echo "build-linux-minimal: $*" >&2; }
die() {
	echo "build-linux-minimal: error: $*" >&2
	exit 1
}
# shellcheck source=lib/fetch-source.sh
. "$ROOT/scripts/lib/fetch-source.sh"

fragment_sum=$(sha256sum "$FRAGMENT" | cut -d' ' -f1)
if [[ -f $DEST/Image && -f $DEST/.rivet-source ]] &&
	grep -q "^Fragment sha256: $fragment_sum$" "$DEST/.rivet-source"; then
	log "present: $(head -n 1 "$DEST/.rivet-source")"
	exit 0
fi
for tool in flex bison bc "${CROSS}gcc"; do
	command -v "$tool" >/dev/null || die "$tool is missing (apt-get install flex bison bc gcc-riscv64-linux-gnu)"
done

debsrc_lock "$CACHE"
debsrc_orig linux "$CACHE" linux
debsrc_unlock
SRC=$CACHE/linux-src/$DEBSRC_VERSION
OBJ=$CACHE/linux-obj/$DEBSRC_VERSION
if [[ ! -f $SRC/.stamp ]]; then
	log "extracting $(basename "$DEBSRC_ORIG") (a minute or two)"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	tar -xf "$DEBSRC_ORIG" -C "$SRC" --strip-components=1 --no-same-owner
	echo "linux $DEBSRC_VERSION" >"$SRC/.stamp"
fi

mk() { nice make -C "$SRC" O="$OBJ" ARCH=riscv CROSS_COMPILE="$CROSS" "$@"; }
mkdir -p "$OBJ"
log "configuring: allnoconfig + ${FRAGMENT#"$ROOT"/}"
mk KCONFIG_ALLCONFIG="$FRAGMENT" allnoconfig >"$OBJ/config.log" 2>&1 ||
	die "configuration failed; see $OBJ/config.log"
# Every line of the fragment must have survived Kconfig's dependency rules:
# a silently dropped option would measure a different kernel.
while IFS= read -r line; do
	if [[ $line =~ ^#\ (CONFIG_[A-Z0-9_]+)\ is\ not\ set$ ]]; then
		! grep -q "^${BASH_REMATCH[1]}=" "$OBJ/.config" ||
			die "${BASH_REMATCH[1]} is set though the fragment says it is not"
	elif [[ $line =~ ^(CONFIG_[A-Z0-9_]+)=(.*)$ ]]; then
		grep -qxF "$line" "$OBJ/.config" ||
			die "$line did not survive Kconfig (a missing dependency?)"
	fi
done <"$FRAGMENT"

log "building Image with make -j$JOBS under nice (log: $OBJ/build.log)"
mk -j"$JOBS" Image >"$OBJ/build.log" 2>&1 || die "build failed; see $OBJ/build.log"

mkdir -p "$DEST"
cp "$OBJ/arch/riscv/boot/Image" "$DEST/Image"
cp "$OBJ/.config" "$DEST/config"
cat >"$DEST/.rivet-source" <<EOT
Linux $DEBSRC_VERSION (Debian source package linux), allnoconfig + bench/linux-minimal.config
Tarball: $(basename "$DEBSRC_ORIG")
Tarball sha256: $(sha256sum "$DEBSRC_ORIG" | cut -d' ' -f1)
Fragment sha256: $fragment_sum
EOT
log "Linux $DEBSRC_VERSION at $DEST/Image ($(stat -c %s "$DEST/Image") bytes)"
