#!/usr/bin/env bash
# Set up (scripts/setup.sh) and build the kernel into build/Image and the
# busybox initramfs into build/rootfs/initramfs.cpio (not with --no-busybox).
#   scripts/build.sh [setup options]      RIVET_BUILD_DIR overrides build/
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RIVET_BUILD_DIR:-$ROOT/build}

# The busybox initramfs is part of the build unless setup skips its source.
BUSYBOX=ON
for arg in "$@"; do
	[[ $arg == --no-busybox ]] && BUSYBOX=OFF
done

"$ROOT/scripts/setup.sh" "$@"
cmake -S "$ROOT" -B "$BUILD" -DRIVET_BUSYBOX=$BUSYBOX >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
echo "build: kernel image at $BUILD/Image"
[[ $BUSYBOX == OFF ]] || echo "build: busybox initramfs at $BUILD/rootfs/initramfs.cpio"
