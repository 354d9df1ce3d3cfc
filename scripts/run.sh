#!/usr/bin/env bash
# The first README command: set up, build, and boot Rivet in QEMU virt with
# Debian's OpenSBI (fw_dynamic), the serial console on this terminal.
#   scripts/run.sh [-m SIZE] [-smp N] [-- extra QEMU args]
# Leave QEMU with Ctrl-A X, or type 'poweroff' at the prompt.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${RIVET_BUILD_DIR:-$ROOT/build}
FIRMWARE=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
MEM=512M
SMP=1
EXTRA=()

while [[ $# -gt 0 ]]; do
	case $1 in
	-m) MEM=$2; shift 2 ;;
	-smp) SMP=$2; shift 2 ;;
	--) shift; EXTRA=("$@"); break ;;
	*) echo "usage: scripts/run.sh [-m SIZE] [-smp N] [-- QEMU args]" >&2; exit 2 ;;
	esac
done

"$ROOT/scripts/build.sh" --quiet
exec qemu-system-riscv64 -M virt -m "$MEM" -smp "$SMP" -nographic \
	-bios "$FIRMWARE" -kernel "$BUILD/Image" "${EXTRA[@]}"
