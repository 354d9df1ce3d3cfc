#!/bin/sh
# Regenerates the generated seeds in tests/fuzz/corpus/<target>/ with our
# own tools (dtc on our fixtures, the riscv64 cross compiler on our tiny
# program, scripts/mkinitramfs.py, mke2fs -d on a small tree). Regression
# seeds (crashes found and fixed) are named regress-* and left alone.
#   tests/fuzz/make-seeds.sh               the committed seeds
#   tests/fuzz/make-seeds.sh --ext2 DIR    larger ext2 images (a file past the
#                                          direct blocks, 4 KiB blocks: 40-70
#                                          KiB each), made at build time
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=$here/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# mke2fs -d TREE into OUT (block size BS, image size SIZE), its zero tail cut
# (the fuzz target pads its disk with zeros).
ext2_image() {
	rm -f "$tmp/img"
	mke2fs -q -F -t ext2 -b "$3" -N 16 -m 0 -E root_owner=0:0 -d "$1" "$tmp/img" "$4" >/dev/null 2>&1
	python3 -c 'import sys; d=open(sys.argv[1],"rb").read().rstrip(b"\0"); open(sys.argv[2],"wb").write(d)' \
		"$tmp/img" "$2"
}

if [ "${1:-}" = --ext2 ]; then
	out=$2
	mkdir -p "$out" "$tmp/tree/dir"
	head -c 12800 /dev/zero | tr '\0' 'x' > "$tmp/tree/big"
	printf 'small\n' > "$tmp/tree/dir/small"
	ln -s dir/small "$tmp/tree/fast"
	ln -s "$(printf '%0100d' 0)" "$tmp/tree/slow"
	ext2_image "$tmp/tree" "$out/big-1024.img" 1024 128k
	ext2_image "$tmp/tree" "$out/big-4096.img" 4096 256k
	exit 0
fi
mkdir -p "$corpus/dt" "$corpus/elf" "$corpus/cpio" "$corpus/ext2"

# DT: the host tests' fixtures for QEMU virt, sifive_u, the JH7110, 32-bit cells.
for stem in virt sifive_u jh7110 cells32; do
	dtc -q -I dts -O dtb -o "$corpus/dt/$stem.dtb" "$root/tests/host/fixtures/$stem.dts"
done

# ELF: the freestanding tiny program, as ET_EXEC and as static-pie (ET_DYN).
cc=riscv64-linux-gnu-gcc
tiny=$root/tests/host/fixtures/elf/tiny.c
$cc -O1 -s -nostdlib -ffreestanding -static -o "$corpus/elf/tiny_static.elf" "$tiny"
$cc -O1 -s -nostdlib -ffreestanding -fPIE -static-pie -Wl,--no-dynamic-linker \
	-o "$corpus/elf/tiny_pie.elf" "$tiny"

# cpio: every entry type mkinitramfs.py writes.
printf 'hello\n' > "$tmp/hello"
cat > "$tmp/list" <<LIST
dir   /etc 0755
file  /etc/hello $tmp/hello 0644 1000 1000
slink /bin/sh /bin/busybox 0777
nod   /dev/console 0600 0 0 c 5 1
dir   /empty 0700
LIST
python3 "$root/scripts/mkinitramfs.py" "$corpus/cpio/small.cpio" --list "$tmp/list"

# ext2: a directory, a file and a fast symlink, 1 KiB blocks (24 KiB).
mkdir -p "$tmp/tree/d"
printf 'hi\n' > "$tmp/tree/d/f"
ln -s d/f "$tmp/tree/l"
ext2_image "$tmp/tree" "$corpus/ext2/small-1024.img" 1024 64k
ls -l "$corpus"/*
