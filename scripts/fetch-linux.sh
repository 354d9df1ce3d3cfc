#!/usr/bin/env bash
# Fetch a riscv64 Linux kernel from Debian's archive: the reference kernel
# the console tests and the busybox testsuite run against, beside Rivet.
#
#   scripts/fetch-linux.sh        -> deps/linux/Image (+ config, .rivet-source)
#
# Not part of setup.sh or CI (a 110 MB download); once deps/linux/Image is
# there, cmake registers the console.linux.* and busybox-testsuite.linux
# tests by itself.
#
# Why Debian 13 (trixie): bookworm has no riscv64 port in the main archive;
# riscv64 is an official architecture from trixie on. The package is
# linux-image-riscv64's dependency (Linux 6.12); its boot/vmlinux-* is a
# Linux RISC-V Image (with an EFI stub), which QEMU -kernel boots directly.
# Serial 8250, devtmpfs, proc, sysfs, tmpfs, devpts, initramfs and syscon
# poweroff are built in, so no modules are needed for our initramfs.
#
# A private apt state under $RIVET_CACHE/linux-apt (never the system's
# sources or lists), verified against Debian's archive keyring. The .deb is
# cached in $RIVET_CACHE/linux. Idempotent. Environment:
#   RIVET_LINUX_MIRROR   default http://deb.debian.org/debian
#   RIVET_LINUX_SUITE    default trixie
#   RIVET_LINUX_DIR      default deps/linux (cmake: -DRIVET_LINUX_IMAGE=DIR/Image)
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${RIVET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rivet}
MIRROR=${RIVET_LINUX_MIRROR:-http://deb.debian.org/debian}
SUITE=${RIVET_LINUX_SUITE:-trixie}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DEST=${RIVET_LINUX_DIR:-$ROOT/deps/linux}
APTDIR=$CACHE/linux-apt
DEBDIR=$CACHE/linux
LOG=$CACHE/logs/fetch-linux.log

log() { echo "fetch-linux: $*" >&2; }
die() {
	echo "fetch-linux: error: $*" >&2
	exit 1
}

# apt_private apt-get|apt-cache ARGS...: run against the private state.
apt_private() {
	local tool=$1
	shift
	local -a opts=(
		-o "Dir::Etc::SourceList=$APTDIR/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$APTDIR/lists"
		-o "Dir::State::Status=$APTDIR/status"
		-o "Dir::Cache=$APTDIR/cache"
		-o APT::Architecture=riscv64
		-o APT::Architectures::=riscv64
		-o Acquire::Languages=none
	)
	[[ $(id -u) -eq 0 ]] && opts+=(-o APT::Sandbox::User=root)
	"$tool" -q "${opts[@]}" "$@"
}

if [[ -f $DEST/Image && -f $DEST/.rivet-source ]]; then
	log "present: $(head -n 1 "$DEST/.rivet-source")"
	exit 0
fi
[[ -f $KEYRING ]] || die "no $KEYRING (package debian-archive-keyring)"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$DEBDIR" "${LOG%/*}"
touch "$APTDIR/status"
echo "deb [arch=riscv64 signed-by=$KEYRING] $MIRROR $SUITE main" >"$APTDIR/sources.list"

log "reading the $SUITE riscv64 package index (private apt state, log: $LOG)"
apt_private apt-get update >"$LOG" 2>&1 || die "apt-get update failed; see $LOG"
# linux-image-riscv64 is the metapackage; the kernel is its dependency.
pkg=$(apt_private apt-cache show linux-image-riscv64 2>>"$LOG" |
	awk -F'[ ,]+' '/^Depends:/ { for (i = 2; i <= NF; i++) if ($i ~ /^linux-image-/) { print $i; exit } }')
[[ -n $pkg ]] || die "cannot tell the kernel package behind linux-image-riscv64; see $LOG"
version=$(apt_private apt-cache show "$pkg" 2>>"$LOG" | awk '/^Version:/ { print $2; exit }')

shopt -s nullglob
debs=("$DEBDIR/${pkg}_"*.deb)
shopt -u nullglob
if [[ ${#debs[@]} -eq 0 ]]; then
	log "downloading $pkg $version (about 110 MB; apt checks its hash)"
	(cd "$DEBDIR" && apt_private apt-get download "$pkg" >>"$LOG" 2>&1) ||
		die "apt-get download $pkg failed; see $LOG"
	debs=("$DEBDIR/${pkg}_"*.deb)
fi
deb=${debs[-1]}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/*' ||
	die "cannot unpack $deb"
image=$(printf '%s\n' "$tmp"/boot/vmlinux-* | head -n 1)
[[ -f $image ]] || die "no boot/vmlinux-* in $deb"
# The RISC-V Image header: magic2 "RSC\x05" at offset 0x38.
[[ $(dd if="$image" bs=1 skip=56 count=3 2>/dev/null) == RSC ]] ||
	die "$(basename "$image") is not a Linux RISC-V Image"

rm -rf "$DEST"
mkdir -p "$DEST"
cp "$image" "$DEST/Image"
cp "$tmp"/boot/config-* "$DEST/config"
cat >"$DEST/.rivet-source" <<EOT
$pkg $version ($SUITE, riscv64), fetched by scripts/fetch-linux.sh
Package: $(basename "$deb")
Package sha256: $(sha256sum "$deb" | cut -d' ' -f1)
EOT
log "Linux $version at ${DEST#"$ROOT"/}/Image"
