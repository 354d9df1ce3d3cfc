# shellcheck shell=bash
# Build GPT disk images with a FAT boot partition, without root: no loop
# devices, no mounts. The FAT file system is made in a file of its own
# (mkfs.vfat from dosfstools, mmd/mcopy from mtools), the partition table is
# written into the disk file by sfdisk (util-linux's fdisk package), and the
# file system is copied to its partition's offset with dd.
#
# Sourced by scripts/mk-uboot-disk.sh and scripts/mk-vf2-sdcard.sh, which
# define die(). Entry points:
#   boot_disk_options "$@"                   # both scripts' options, checked
#   boot_root DIR                            # the files every boot partition holds
#   disk_need_tools
#   fat_image OUT SIZE_MIB LABEL SRC_DIR     # SRC_DIR's tree becomes the FAT's /
#   fat_size_mib SRC_DIR                     # a FAT size that holds SRC_DIR
#   gpt_disk OUT SIZE_MIB SFDISK_SCRIPT      # an empty disk with that table
#   put_partition DISK FAT_IMAGE START_SECTOR

# sfdisk and mkfs.vfat live in /usr/sbin, often not on a user's PATH.
PATH=$PATH:/usr/sbin:/sbin
SECTOR=512
# GPT partition types (what sfdisk's type= takes), used by the scripts
# that source this file.
# shellcheck disable=SC2034
# Basic data, not EFI system: U-Boot counts an EFI system partition as
# bootable by its type alone, and the boot partition is meant to be found by
# the legacy BIOS bootable attribute, which every U-Boot version honours
# (and which the board tests can then tell apart).
GPT_TYPE_BASIC_DATA=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7

# The options both scripts take (their --help: the calling script's header
# comment), into IMAGE, INITRD, OUT and APPEND, whose defaults the caller
# sets first; then the inputs and tools are checked.
boot_disk_options() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		--image) IMAGE=$2; shift ;;
		--initrd) INITRD=$2; shift ;;
		--out) OUT=$2; shift ;;
		--append) APPEND=$2; shift ;;
		-h | --help)
			sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[-1]}"
			exit 0
			;;
		*) die "unknown option '$1' (try --help)" ;;
		esac
		shift
	done
	[[ -n $IMAGE && -n $INITRD && -n $OUT ]] || die "need --image, --initrd and --out (try --help)"
	[[ -f $IMAGE ]] || die "no kernel $IMAGE"
	[[ -f $INITRD ]] || die "no initramfs $INITRD"
	disk_need_tools
}

# DIR/Image, DIR/initramfs.cpio and DIR/extlinux/extlinux.conf (with APPEND):
# what the boot partition holds on every board.
boot_root() {
	local root=$1
	mkdir -p "$root/extlinux"
	cp "$IMAGE" "$root/Image"
	cp "$INITRD" "$root/initramfs.cpio"
	extlinux_conf "$APPEND" >"$root/extlinux/extlinux.conf"
}

disk_need_tools() {
	local t missing=()
	for t in sfdisk mkfs.vfat mmd mcopy dd truncate; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[[ ${#missing[@]} -eq 0 ]] ||
		die "missing ${missing[*]}: install fdisk dosfstools mtools (scripts/setup.sh does)"
}

# Room for every file in SRC_DIR plus FAT overhead, at least 64 MiB: mkfs.vfat
# then picks FAT32 (which U-Boot and every loader read), and a rebuilt
# kernel or initramfs of a few MiB more still fits.
fat_size_mib() {
	local kib
	kib=$(du -sk --apparent-size "$1" | cut -f1)
	local mib=$(((kib + 1023) / 1024 + 16))
	echo $((mib < 64 ? 64 : mib))
}

fat_image() {
	local out=$1 size_mib=$2 label=$3 src=$4
	rm -f "$out"
	mkfs.vfat -C -F 32 -n "$label" "$out" $((size_mib * 1024)) >/dev/null ||
		die "mkfs.vfat $out failed"
	local d f rel
	# Directories first (mmd), then every file (mcopy), paths relative to src.
	while IFS= read -r -d '' d; do
		rel=${d#"$src"/}
		MTOOLS_SKIP_CHECK=1 mmd -i "$out" "::/$rel" || die "mmd ::/$rel failed"
	done < <(find "$src" -mindepth 1 -type d -print0 | sort -z)
	while IFS= read -r -d '' f; do
		rel=${f#"$src"/}
		MTOOLS_SKIP_CHECK=1 mcopy -i "$out" -o "$f" "::/$rel" || die "mcopy ::/$rel failed"
	done < <(find "$src" -type f -print0 | sort -z)
}

# An all-zero (sparse) disk of SIZE_MIB with the partition table that
# SFDISK_SCRIPT describes (sfdisk's input format).
gpt_disk() {
	local out=$1 size_mib=$2 script=$3
	rm -f "$out"
	truncate -s "${size_mib}M" "$out"
	sfdisk --quiet --no-reread --no-tell-kernel "$out" <<<"$script" >/dev/null ||
		die "sfdisk could not write the partition table of $out"
}

put_partition() {
	local disk=$1 image=$2 start=$3
	dd if="$image" of="$disk" bs=$SECTOR seek="$start" conv=notrunc,sparse status=none ||
		die "dd $image into $disk failed"
}

# extlinux.conf for U-Boot's distro boot (sysboot): one label, no menu
# ("prompt 0" boots the default at once), no fdt line: U-Boot then hands
# the kernel the device tree it runs on itself (${fdtcontroladdr}), the one
# the firmware gave it.
extlinux_conf() {
	local append=$1
	cat <<EOF
# Rivet: read by U-Boot's distro boot (sysboot). No fdt/fdtdir line: U-Boot
# passes the device tree it was itself given by the firmware.
default rivet
prompt 0
timeout 1

label rivet
	menu label Rivet
	kernel /Image
	initrd /initramfs.cpio
	append $append
EOF
}
