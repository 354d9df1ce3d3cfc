#!/usr/bin/env bash
# A flat kernel profile of a workload (docs/performance.md, "Profiling"):
#
#   bench/profile.sh IMAGE ELF PROGRAM [WARMUP_S] [WINDOW_S]
#
# PROGRAM (a static riscv64 binary looping over what is to be measured)
# becomes /init of a one-file initramfs; QEMU boots IMAGE with it, and after
# WARMUP_S seconds (6) the monitor turns on `-d exec,nochain` for WINDOW_S
# seconds (0.5). bench/tb_profile.py then prints the instructions per
# kernel function. Scratch files go to $PROFILE_DIR (build/profile);
# $PROFILE_QEMU_ARGS adds QEMU options (a disk, say:
# "-drive file=d.img,format=raw,if=none,id=d0 -device virtio-blk-device,drive=d0").
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
image=$1 elf=$2 program=$3 warmup=${4:-6} window=${5:-0.5}
dir=${PROFILE_DIR:-$ROOT/build/profile}
mkdir -p "$dir"
rm -f "$dir/exec.log" "$dir/mon.sock"
python3 "$ROOT/scripts/mkinitramfs.py" "$dir/profile.cpio" "init=$program"
qemu-system-riscv64 -M virt -smp 1 -m 256M -display none -serial "file:$dir/serial.log" \
	-bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin -kernel "$image" \
	-initrd "$dir/profile.cpio" -monitor "unix:$dir/mon.sock,server,nowait" -D "$dir/exec.log" \
	${PROFILE_QEMU_ARGS:-} &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
sleep "$warmup"
python3 - "$dir/mon.sock" "$window" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.send(b"log exec,nochain\n")
time.sleep(float(sys.argv[2]))
s.send(b"log none\n")
time.sleep(0.2)
PY
kill $qemu
wait $qemu 2>/dev/null || true
python3 "$ROOT/bench/tb_profile.py" "$dir/exec.log" "$elf" 30
