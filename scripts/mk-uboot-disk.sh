#!/usr/bin/env bash
# Make a disk image that U-Boot's distro boot finds and boots, without root:
#
#   GPT, one FAT32 partition (sectors 2048..) with the GPT "legacy BIOS
#   bootable" attribute (U-Boot's `part list -bootable` picks partitions by
#   it; without it distro boot on QEMU does not look), holding
#     /extlinux/extlinux.conf   one label: kernel /Image, initrd, append
#     /Image                    the kernel
#     /initramfs.cpio           the userland
#
# Boot it with OpenSBI fw_jump and Debian's S-mode U-Boot (docs/boards/qemu.md):
#   qemu-system-riscv64 -M virt -m 256M -nographic \
#     -bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf \
#     -kernel /usr/lib/u-boot/qemu-riscv64_smode/uboot.elf \
#     -drive file=build/boards/uboot-disk.img,format=raw,if=none,id=hd0 \
#     -device virtio-blk-device,drive=hd0
#
# Usage: scripts/mk-uboot-disk.sh --image IMAGE --initrd CPIO --out DISK
#                                 [--append "KERNEL COMMAND LINE"]
# Needs sfdisk (fdisk), mkfs.vfat (dosfstools), mmd/mcopy (mtools).
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() {
	echo "mk-uboot-disk: error: $*" >&2
	exit 1
}
# shellcheck source-path=SCRIPTDIR source=lib/boot-disk.sh
. "$ROOT/scripts/lib/boot-disk.sh"

IMAGE='' INITRD='' OUT='' APPEND="rivet.boot=uboot-extlinux"
boot_disk_options "$@"

work=$(mktemp -d "${TMPDIR:-/tmp}/uboot-disk.XXXXXX")
trap 'rm -rf "$work"' EXIT
boot_root "$work/root"

START=2048 # 1 MiB: the usual alignment, and room for the primary GPT
fat_mib=$(fat_size_mib "$work/root")
fat_image "$work/boot.fat" "$fat_mib" RIVET "$work/root"
# 1 MiB in front, the FAT, 1 MiB behind for the backup GPT.
gpt_disk "$OUT" $((fat_mib + 2)) "label: gpt
start=$START, size=$((fat_mib * 1024 * 1024 / SECTOR)), type=$GPT_TYPE_BASIC_DATA, name=\"rivet-boot\", attrs=\"LegacyBIOSBootable\""
put_partition "$OUT" "$work/boot.fat" $START
echo "mk-uboot-disk: wrote $OUT ($((fat_mib + 2)) MiB; partition 1 FAT32, legacy BIOS bootable)"
