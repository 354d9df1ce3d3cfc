#!/usr/bin/env bash
# Set up a Debian 12 machine for building and testing Rivet.
#
#   1. install the host packages the build and tests need (apt);
#   2. fetch pristine libfdt into deps/libfdt/ (third-party sources are
#      never committed; they come from Debian's u-boot source package and
#      are cached in $RIVET_CACHE, default ~/.cache/rivet);
#   3. fetch pristine busybox into deps/busybox/ the same way, from Debian's
#      busybox source package (for the userland image, rootfs/);
#   4. keep deps/ and build/ out of git.
#
# Idempotent: a second run only checks and returns (well under 2 s).
#
# Usage: scripts/setup.sh [--no-apt] [--no-busybox] [--quiet]
#   --no-apt      skip step 1 (machines without root); steps 2-3 still work
#   --no-busybox  skip step 3 (then build with -DRIVET_BUSYBOX=OFF, as
#                 scripts/build.sh does: no userland image, no console tests)
#   --quiet       print errors only
set -euo pipefail
shopt -s inherit_errexit   # let failures inside $(...) stop the script

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${RIVET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rivet}

PACKAGES=(
	qemu-system-misc opensbi u-boot-qemu qemu-user # emulators + firmware
	gcc-riscv64-linux-gnu libc6-dev-riscv64-cross # cross toolchain
	device-tree-compiler gdb-multiarch
	cmake make gcc clang clang-tidy clang-tools   # host build + lint (clang-query)
	libclang-rt-14-dev                            # libFuzzer: tests/fuzz
	python3 python3-pexpect                       # test harness
	e2fsprogs                                     # ext2 images: host.ext2, storage tests
	fdisk dosfstools mtools                       # boot disks without root: sfdisk, mkfs.vfat, mcopy
	dpkg-dev xz-utils bzip2 ca-certificates       # apt-get source + tarballs
)

QUIET=0
APT=1
BUSYBOX=1

# Progress goes to stderr so functions can still return values on stdout.
log() { [[ $QUIET -eq 1 ]] || echo "setup: $*" >&2; }
die() {
	echo "setup: error: $*" >&2
	exit 1
}

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; }

parse_args() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		--no-apt) APT=0 ;;
		--no-busybox) BUSYBOX=0 ;;
		--quiet | -q) QUIET=1 ;;
		-h | --help) usage; exit 0 ;;
		*) die "unknown option '$1' (try --help)" ;;
		esac
		shift
	done
}

# Print the packages from PACKAGES that are not fully installed.
missing_packages() {
	local -A ok=()
	local name status
	# One dpkg-query call for all; unknown packages just don't appear.
	while read -r name status; do
		[[ $status == "install ok installed" ]] && ok[$name]=1
	done < <(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)
	local p
	for p in "${PACKAGES[@]}"; do
		[[ -n ${ok[$p]:-} ]] || echo "$p"
	done
}

install_packages() {
	local -a missing sudo=()
	mapfile -t missing < <(missing_packages)
	if [[ ${#missing[@]} -eq 0 ]]; then
		log "packages: all ${#PACKAGES[@]} installed"
		return
	fi
	if [[ $(id -u) -ne 0 ]]; then
		command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]} (or use --no-apt)"
		sudo=(sudo)
	fi
	local logf=$CACHE/logs/apt-install.log
	mkdir -p "${logf%/*}"
	log "packages: installing ${missing[*]} (log: $logf)"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q update >"$logf" 2>&1 ||
		{ tail -n 20 "$logf" >&2; die "apt-get update failed; see $logf"; }
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get -q install -y --no-install-recommends "${missing[@]}" >>"$logf" 2>&1 ||
		{ tail -n 20 "$logf" >&2; die "apt-get install failed; see $logf"; }
}

# Append LINE to .gitignore unless already there; never rewrite the file,
# others may be editing it.
gitignore_add() {
	local file=$ROOT/.gitignore line=$1
	[[ -f $file ]] && grep -qxF -- "$line" "$file" && return
	# Keep the last existing line intact if it lacks a newline.
	[[ -s $file && $(tail -c 1 "$file") != "" ]] && echo >>"$file"
	echo "$line" >>"$file"
	log "gitignore: added $line"
}

main() {
	parse_args "$@"
	command -v dpkg-query >/dev/null || die "this script needs a Debian system (no dpkg-query)"

	if [[ $APT -eq 1 ]]; then
		install_packages
	else
		log "packages: skipped (--no-apt)"
	fi

	# shellcheck source-path=SCRIPTDIR source=lib/fetch-libfdt.sh
	. "$ROOT/scripts/lib/fetch-libfdt.sh"
	fetch_libfdt "$ROOT/deps/libfdt" "$CACHE"
	# fetch_source comes from lib/fetch-source.sh, which fetch-libfdt.sh sources.
	if [[ $BUSYBOX -eq 1 ]]; then
		fetch_source busybox "$ROOT/deps/busybox" "$CACHE"
	else
		log "busybox: skipped (--no-busybox)"
	fi

	gitignore_add /deps   # a directory, or a symlink to a shared one
	gitignore_add build/
}

main "$@"
