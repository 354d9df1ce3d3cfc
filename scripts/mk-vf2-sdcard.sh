#!/usr/bin/env bash
# Write a microSD card image for the StarFive VisionFive 2, booted by the
# board's own U-Boot (the one in its SPI flash), without root:
#
#   GPT, laid out like StarFive's own SD images:
#     1  spl     sectors  4096- 8191 (2 MiB)  type 2E54B353-...  empty placeholder
#     2  uboot   sectors  8192-16383 (4 MiB)  type 5B193300-...  empty placeholder
#     3  boot    sectors 16384-...   FAT32    basic data type, legacy BIOS bootable
#   partition 3 holds
#     /extlinux/extlinux.conf  for mainline U-Boot's distro boot (it scans the
#                              partitions marked legacy BIOS bootable)
#     /vf2_uEnv.txt            the hook of StarFive's vendor U-Boot: its bootcmd
#                              imports this file from mmc ${bootpart} and runs boot2
#     /Image, /initramfs.cpio
#
# Partitions 1 and 2 are where the boot ROM looks for SPL and U-Boot when the
# boot switches select the SD card; they are left empty (no third-party
# binaries here), so boot from the SPI flash (switches to QSPI): see
# docs/boards/visionfive2.md.
#
# The vendor U-Boot loads the Image at 0x40200000 and the device tree sits
# at 0x46000000: the script refuses a kernel whose image_size (with BSS)
# would reach it.
#
# Usage: scripts/mk-vf2-sdcard.sh --image IMAGE --initrd CPIO --out SDIMG
#                                 [--append "KERNEL COMMAND LINE"]
# Then: dd if=SDIMG of=/dev/sdX bs=4M conv=fsync   (or bmaptool copy)
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() {
	echo "mk-vf2-sdcard: error: $*" >&2
	exit 1
}
# shellcheck source-path=SCRIPTDIR source=lib/boot-disk.sh
. "$ROOT/scripts/lib/boot-disk.sh"

# The vendor U-Boot's memory map (its default environment): kernel_addr_r,
# fdt_addr_r, ramdisk_addr_r. Our vf2_uEnv.txt sets the same values, so the
# layout check below holds whichever U-Boot build runs.
VF2_KERNEL_ADDR=0x40200000
VF2_FDT_ADDR=0x46000000
VF2_FDT_ROOM=0x80000 # the device tree gets 512 KiB there: below the ramdisk
VF2_RAMDISK_ADDR=0x46100000
GPT_TYPE_SPL=2E54B353-1271-4842-806F-E436D6AF6985   # StarFive SD images: SPL
GPT_TYPE_UBOOT=5B193300-FC78-40CD-8002-E86C45580B47 # StarFive SD images: U-Boot FIT

IMAGE='' INITRD='' OUT='' APPEND="console=ttyS0,115200 rivet.boot=visionfive2"
boot_disk_options "$@"

# image_size (offset 16, 64-bit little-endian) of the Linux RISC-V Image
# header: what the kernel occupies from its load address, BSS included.
image_size() {
	local magic
	magic=$(dd if="$1" bs=1 skip=48 count=5 status=none)
	[[ $magic == RISCV ]] || die "$1 is not a RISC-V Image (no RISCV magic at 0x30)"
	od -An -t u8 -j 16 -N 8 "$1" | tr -d ' '
}

check_layout() {
	local size end
	size=$(image_size "$IMAGE")
	((size > 0)) || die "$IMAGE: image_size is 0 (U-Boot would not know the BSS)"
	end=$((VF2_KERNEL_ADDR + size))
	((end <= VF2_FDT_ADDR)) ||
		die "$IMAGE: loaded at $VF2_KERNEL_ADDR, image and BSS end at $(printf 0x%x $end), past the device tree at $VF2_FDT_ADDR"
	printf 'mk-vf2-sdcard: kernel %s-0x%x, %d KiB below the device tree at %s\n' \
		"$VF2_KERNEL_ADDR" "$end" $(((VF2_FDT_ADDR - end) / 1024)) "$VF2_FDT_ADDR"
}

# The vendor U-Boot's bootcmd (VisionFive 2 SDK) runs
#   load_vf2_env (fatload mmc ${bootpart} ${loadaddr} vf2_uEnv.txt),
#   importbootenv (env import -t), ..., boot2, distro_bootcmd
# and bootpart is 1:3 when it boots with the SD card in (mmc 1, partition 3).
# boot2 loads the Image and the initramfs, copies the device tree U-Boot
# runs on (${fdtcontroladdr}, the board's) to fdt_addr_r, corrects its
# /memory from what U-Boot measured (visionfive2_mem_set, if this U-Boot has
# it), and boots with booti. (rivet_dev: the test runs the same boot2 on
# QEMU's U-Boot from virtio.) fdt_high/initrd_high of all ones: use both where
# they are, do not move them. If boot2 fails, bootcmd goes on to distro boot,
# which finds extlinux/extlinux.conf on the same partition.
vf2_uenv() {
	cat <<EOF
# Rivet for the VisionFive 2: imported by the vendor U-Boot's bootcmd, which then runs boot2.
fdt_high=0xffffffffffffffff
initrd_high=0xffffffffffffffff
kernel_addr_r=$VF2_KERNEL_ADDR
fdt_addr_r=$VF2_FDT_ADDR
ramdisk_addr_r=$VF2_RAMDISK_ADDR
bootargs=$APPEND
rivet_dev=mmc
rivet_load=fatload \${rivet_dev} \${bootpart} \${kernel_addr_r} Image && fatload \${rivet_dev} \${bootpart} \${ramdisk_addr_r} initramfs.cpio && setenv rivet_initrd \${ramdisk_addr_r}:\${filesize}
rivet_fdt=fdt move \${fdtcontroladdr} \${fdt_addr_r} $VF2_FDT_ROOM && fdt addr \${fdt_addr_r}
boot2=echo Rivet: booting from \${rivet_dev} \${bootpart}; if run rivet_load && run rivet_fdt; then if test -n "\${memory_size}"; then run visionfive2_mem_set; fi; booti \${kernel_addr_r} \${rivet_initrd} \${fdt_addr_r}; fi
EOF
}

check_layout
work=$(mktemp -d "${TMPDIR:-/tmp}/vf2-sdcard.XXXXXX")
trap 'rm -rf "$work"' EXIT
boot_root "$work/root"
vf2_uenv >"$work/root/vf2_uEnv.txt"

BOOT_START=16384 # 8 MiB, as on StarFive's images
fat_mib=$(fat_size_mib "$work/root")
fat_image "$work/boot.fat" "$fat_mib" RIVET "$work/root"
gpt_disk "$OUT" $((fat_mib + 9)) "label: gpt
start=4096, size=4096, type=$GPT_TYPE_SPL, name=\"spl\"
start=8192, size=8192, type=$GPT_TYPE_UBOOT, name=\"uboot\"
start=$BOOT_START, size=$((fat_mib * 1024 * 1024 / SECTOR)), type=$GPT_TYPE_BASIC_DATA, name=\"boot\", attrs=\"LegacyBIOSBootable\""
put_partition "$OUT" "$work/boot.fat" $BOOT_START
echo "mk-vf2-sdcard: wrote $OUT ($((fat_mib + 9)) MiB; partition 3 FAT32 with extlinux.conf and vf2_uEnv.txt)"
