#!/usr/bin/env bash
# The first README command: set up, build, and boot Rivet in QEMU virt with
# Debian's OpenSBI (fw_dynamic), the serial console on this terminal, into
# the busybox userland (build/rootfs/initramfs.cpio): a root shell.
#   scripts/run.sh [-m SIZE] [-smp N] [--monitor] [-- extra QEMU args]
# --monitor boots without the initramfs, to Rivet's own `rivet>` boot monitor.
# Leave QEMU with Ctrl-A X, or type 'poweroff' at the prompt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RIVET_BUILD_DIR:-$ROOT/build}
FIRMWARE=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
MEM=512M
SMP=1
INITRD=$BUILD/rootfs/initramfs.cpio
EXTRA=()

while [[ $# -gt 0 ]]; do
	case $1 in
	-m) MEM=$2; shift 2 ;;
	-smp) SMP=$2; shift 2 ;;
	--monitor) INITRD=; shift ;;
	--) shift; EXTRA=("$@"); break ;;
	*) echo "usage: scripts/run.sh [-m SIZE] [-smp N] [--monitor] [-- QEMU args]" >&2; exit 2 ;;
	esac
done

"$ROOT/scripts/build.sh" --quiet
INITRD_ARGS=()
if [[ -n $INITRD ]]; then
	[[ -f $INITRD ]] || { echo "run: no $INITRD (configured with -DRIVET_BUSYBOX=OFF?); try --monitor" >&2; exit 1; }
	INITRD_ARGS=(-initrd "$INITRD")
fi
exec qemu-system-riscv64 -M virt -m "$MEM" -smp "$SMP" -nographic \
	-bios "$FIRMWARE" -kernel "$BUILD/Image" "${INITRD_ARGS[@]}" "${EXTRA[@]}"
