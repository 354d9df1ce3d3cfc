#!/usr/bin/env python3
"""Storage boot tests: Rivet in QEMU virt with a virtio-blk disk, driven
through busybox sh on the serial console; the host's e2fsprogs are the
oracle for what ends up on the disk.

    storage_tests.py --image Image --initramfs initramfs.cpio --workdir DIR TEST
    storage_tests.py --list

  storage.ext2-1k, storage.ext2-4k   mount an image made by `mke2fs -d`, read
      files (md5 against the host), write a session (mkdir, cp, mv across
      directories, hard and symbolic links, rm, a multi-MiB dd, truncate),
      sync, power off; then `e2fsck -fn` is clean and `debugfs` reads back
      what the guest wrote
  storage.partitions  an MBR disk with two partitions: /dev/vda1, /dev/vda2
      exist with the right sizes, the ext2 in vda2 mounts; a GPT disk too
  storage.bad-table   a malformed partition table: logged, no partitions, the
      disk itself still works
  storage.blockdev    /dev/vda read with dd equals the image; written through
      the node, lands in the image after sync
  storage.fsync       a file that completed fsync is on the disk when the
      power goes right after (QEMU killed: no sync, no umount), e2fsck clean
  storage.writeback   a file written without sync is on the disk within
      seconds (periodic write-back), and the image is consistent meanwhile
  storage.root        no initramfs, root=/dev/vda: /sbin/init runs from the
      ext2 (busybox unpacked from the initramfs), a file written there is in
      the image afterwards, e2fsck clean
Every wait is bounded; QEMU dies with this script.
"""
import argparse
import hashlib
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import time
import zlib

import pexpect

QEMU = os.environ.get("RIVET_QEMU", "qemu-system-riscv64")
FIRMWARE = os.environ.get(
    "RIVET_FIRMWARE", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
SCALE = float(os.environ.get("RIVET_TEST_TIMEOUT_SCALE", "1"))


class TestFailure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise TestFailure(message)


def run(*cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120 * SCALE)
    check(p.returncode in ok, f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return p.stdout


class Guest:
    """busybox sh on the console of a Rivet booted with one disk."""

    def __init__(self, args, disk, initramfs=True, append=None):
        cmd = [QEMU, "-M", "virt", "-m", "256M", "-nographic", "-bios", FIRMWARE,
               "-kernel", args.image,
               "-drive", f"file={disk},format=raw,if=none,id=d0",
               "-device", "virtio-blk-device,drive=d0"]
        if initramfs:
            cmd += ["-initrd", args.initramfs]
        if append:
            cmd += ["-append", append]
        self.p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                               timeout=60 * SCALE)
        self.p.logfile_read = sys.stdout
        self.n = 0

    def __enter__(self):
        i = self.p.expect([r"# ", "Please press Enter to activate"])
        if i == 1:
            self.p.sendline("")
        return self

    def __exit__(self, *exc):
        self.p.terminate(force=True)

    def sh(self, command, want=0, timeout=60):
        """Runs command; returns its output, checking its exit status."""
        self.n += 1
        mark = f"E{self.n}X"
        self.p.sendline(f"{command}; echo {mark}$?{mark}")
        self.p.expect(rf"{mark}(\d+){mark}", timeout=timeout * SCALE)
        out = self.p.before
        status = int(self.p.match.group(1))
        check(want is None or status == want, f"`{command}` exited {status}, not {want}")
        # The output follows the echoed command line.
        return out.split("\n", 1)[1] if "\n" in out else ""

    def log_has(self, pattern):
        return re.search(pattern, self.p.before or "")

    def poweroff(self):
        self.p.sendline("poweroff")
        self.p.expect(pexpect.EOF, timeout=60 * SCALE)


def md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def make_tree(root):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(f"{root}/sub/deep/er")
    for i, size in enumerate([0, 1, 1023, 1024, 4097, 70000, 300000, 1200000]):
        with open(f"{root}/f{i}", "wb") as f:
            f.write(os.urandom(size))
    with open(f"{root}/sub/deep/er/leaf", "w") as f:
        f.write("leaf\n")
    os.symlink("f1", f"{root}/link")
    return {f"f{i}": md5(f"{root}/f{i}") for i in range(8)}


def fsck_ok(img):
    return subprocess.run(["e2fsck", "-fn", img], capture_output=True, timeout=120).returncode == 0


def e2fsck_clean(img):
    p = subprocess.run(["e2fsck", "-fn", img], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, f"e2fsck -fn {img}: exit {p.returncode}\n{p.stdout}{p.stderr}")


def debugfs_cat(img, path):
    return subprocess.run(["debugfs", "-R", f"cat {path}", img], capture_output=True,
                          timeout=60).stdout


def ext2_session(args, bs):
    work = args.workdir
    tree, img = f"{work}/tree{bs}", f"{work}/disk{bs}.img"  # own tree: tests run in parallel
    sums = make_tree(tree)
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", str(bs), "-d", tree, img, "48M")
    with Guest(args, img) as g:
        g.sh("mkdir -p /mnt && mount -t ext2 /dev/vda /mnt")
        for name, want in sums.items():
            out = g.sh(f"md5sum /mnt/{name}")
            check(want in out, f"{name}: md5 {out!r}, host says {want}")
        check("f1" in g.sh("readlink /mnt/link"), "symlink target")
        check("leaf" in g.sh("cat /mnt/sub/deep/er/leaf"), "deep file")
        # Short lines: the console takes typed input at its own pace.
        for cmd in ["cd /mnt", "mkdir -p w/a/b", "cp f6 w/a/b/copy", "mv w/a/b/copy sub/moved",
                    "mv w/a sub/", "ln f5 w/hard", "ln -s /some/where w/sym", "rm f7",
                    "dd if=/dev/zero of=w/big bs=4096 count=1024 2>/dev/null",
                    "echo appended >> f1", "truncate -s 1000 f6", "rmdir sub/a/b",
                    "for i in 1 2 3 4 5 6 7 8; do echo $i > w/n$i; done", "rm w/n3 w/n7",
                    "echo written > w/marker", "cd /"]:
            g.sh(cmd)
        check(sums["f6"] in g.sh("md5sum /mnt/sub/moved"), "moved copy")
        g.sh("sync")
        g.sh("ls -la /mnt /mnt/w /mnt/sub")
        g.poweroff()
    e2fsck_clean(img)
    check(debugfs_cat(img, "/w/marker") == b"written\n", "debugfs reads /w/marker")
    check(hashlib.md5(debugfs_cat(img, "/sub/moved")).hexdigest() == sums["f6"],
          "debugfs reads the moved copy")
    check(len(debugfs_cat(img, "/w/big")) == 4 << 20, "debugfs: /w/big is 4 MiB")
    check(debugfs_cat(img, "/f1").endswith(b"appended\n"), "debugfs: f1 appended to")


def mbr(parts, sectors):
    """A 512-byte MBR with (type, start, count) primaries."""
    s = bytearray(512)
    for i, (t, start, count) in enumerate(parts):
        s[446 + 16 * i + 4] = t
        struct.pack_into("<II", s, 446 + 16 * i + 8, start, count)
    s[510:512] = b"\x55\xaa"
    return bytes(s)


def gpt(parts, sectors):
    """Protective MBR, GPT header at LBA 1, 128 entries at LBA 2 (no backup)."""
    entries = bytearray(128 * 128)
    for i, (first, last) in enumerate(parts):
        struct.pack_into("<16s16sQQ", entries, 128 * i, b"\xaf" * 16, bytes([i + 1]) * 16,
                         first, last)
    h = bytearray(92)
    struct.pack_into("<8sIIIIQQQQ16sQIII", h, 0, b"EFI PART", 0x10000, 92, 0, 0, 1,
                     sectors - 1, 34, sectors - 34, b"\x11" * 16, 2, 128, 128,
                     zlib.crc32(entries))
    struct.pack_into("<I", h, 16, zlib.crc32(h))
    return mbr([(0xee, 1, sectors - 1)], sectors) + bytes(h) + bytes(420) + bytes(entries)


def make_partitioned(work, table, layout):
    """A 64 MiB disk: the table, and in the second partition an ext2."""
    disk, fs = f"{work}/parted.img", f"{work}/part2.img"
    sectors = 64 << 11
    (s1, n1), (s2, n2) = layout
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", fs, f"{n2 // 2}k")
    run("debugfs", "-w", "-R", "mkdir inpart", fs)
    with open(disk, "wb") as f:
        f.truncate(sectors * 512)
        f.write(table)
        f.seek(s2 * 512)
        f.write(open(fs, "rb").read())
    return disk


def partitions(args):
    work = args.workdir
    for kind in ("mbr", "gpt"):
        layout = [(2048, 8192), (10240, 40960)]
        if kind == "mbr":
            table = mbr([(0x83, s, n) for s, n in layout], 64 << 11)
        else:
            table = gpt([(s, s + n - 1) for s, n in layout], 64 << 11)
        disk = make_partitioned(work, table, layout)
        with Guest(args, disk) as g:
            out = g.sh("ls -l /dev/vda*")
            for name in ("vda", "vda1", "vda2"):
                check(re.search(rf"/dev/{name}\b", out), f"{kind}: /dev/{name} in {out!r}")
            check("254,   2" in out or "254, 2" in out, f"{kind}: vda2 is 254:2")
            size = g.sh("blockdev --getsize64 /dev/vda2 2>/dev/null || "
                        "dd if=/dev/vda2 bs=512 2>/dev/null | wc -c", want=None)
            check(str(40960 * 512) in size, f"{kind}: vda2 holds {size!r}")
            g.sh("mkdir -p /mnt && mount -t ext2 /dev/vda2 /mnt && ls -d /mnt/inpart")
            g.sh("echo hi > /mnt/inpart/x && sync")
            g.poweroff()


def bad_table(args):
    disk = f"{args.workdir}/bad.img"
    with open(disk, "wb") as f:
        f.truncate(8 << 20)
        f.write(mbr([(0x83, 16000, 900000)], 8 << 11))  # past the end
    with Guest(args, disk) as g:
        out = g.sh("ls /dev/")
        check("vda1" not in out and "vda" in out, f"no partitions in {out!r}")
        g.sh("dd if=/dev/vda of=/dev/null bs=4096 count=16")
        g.poweroff()


def blockdev(args):
    disk = f"{args.workdir}/raw.img"
    with open(disk, "wb") as f:
        f.write(os.urandom(4 << 20))
    want = hashlib.md5(open(disk, "rb").read(1 << 20)).hexdigest()
    with Guest(args, disk) as g:
        out = g.sh("dd if=/dev/vda bs=4096 count=256 2>/dev/null | md5sum")
        check(want in out, f"dd of /dev/vda: {out!r}, host says {want}")
        g.sh("echo -n RIVETWASHERE | dd of=/dev/vda bs=1 seek=1000000 conv=notrunc 2>/dev/null")
        g.sh("sync")
        g.poweroff()
    data = open(disk, "rb").read()
    check(data[1000000:1000012] == b"RIVETWASHERE", "the write through /dev/vda is in the image")


def unpack_newc(archive, out):
    data, off = open(archive, "rb").read(), 0
    while True:
        h = data[off:off + 110]
        check(h[:6] == b"070701", "initramfs is newc")
        f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, size, nlen = f[1], f[6], f[11]
        name = data[off + 110:off + 110 + nlen - 1].decode()
        off = (off + 110 + nlen + 3) & ~3
        body = data[off:off + size]
        off = (off + size + 3) & ~3
        if name == "TRAILER!!!":
            return
        path = os.path.join(out, name)
        if stat.S_ISDIR(mode):
            os.makedirs(path, exist_ok=True)
        elif stat.S_ISLNK(mode):
            os.symlink(body.decode(), path)
        elif stat.S_ISREG(mode):
            with open(path, "wb") as fh:
                fh.write(body)
            os.chmod(path, mode & 0o7777)


def root(args):
    tree, img = f"{args.workdir}/root", f"{args.workdir}/root.img"
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    unpack_newc(args.initramfs, tree)
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, img, "64M")
    with Guest(args, img, initramfs=False, append="root=/dev/vda") as g:
        g.sh("echo fromguest > /root/marker && sync")
        check("vda" in g.sh("ls /dev"), "/dev on the disk root")
        g.poweroff()
    e2fsck_clean(img)
    check(debugfs_cat(img, "/root/marker") == b"fromguest\n", "debugfs reads /root/marker")


def writeback(args):
    tree, img = f"{args.workdir}/tree-wb", f"{args.workdir}/wb.img"
    make_tree(tree)
    run("mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, img, "32M")
    with Guest(args, img) as g:
        g.sh("mount -t ext2 /dev/vda /mnt && echo nosync > /mnt/unsynced && rm /mnt/f7")
        deadline = time.time() + 30 * SCALE
        while debugfs_cat(img, "/unsynced") != b"nosync\n" and time.time() < deadline:
            time.sleep(1)
        check(debugfs_cat(img, "/unsynced") == b"nosync\n",
              "written without sync, on the disk within seconds")
        # What the periodic write-back leaves is consistent once its pass is
        # over: the data may land a moment before the bitmaps of the same
        # pass, so look again until the deadline rather than once.
        while not fsck_ok(img) and time.time() < deadline:
            time.sleep(1)
        e2fsck_clean(img)
        g.sh("echo hi")


def fsync_survives(args):
    tree, img = f"{args.workdir}/tree-fsync", f"{args.workdir}/fsync.img"
    make_tree(tree)
    run("mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, img, "32M")
    with Guest(args, img) as g:
        g.sh("mount -t ext2 /dev/vda /mnt")
        # fsync (busybox `sync FILE`), then the power goes: QEMU is killed
        # at once, with no sync, umount or poweroff, well inside the 5 s
        # the periodic write-back waits.
        g.sh("echo durable > /mnt/fsynced && sync /mnt/fsynced")
    check(debugfs_cat(img, "/fsynced") == b"durable\n", "the fsync'd file is on the disk")
    e2fsck_clean(img)


TESTS = {
    "storage.fsync": fsync_survives,
    "storage.ext2-1k": lambda a: ext2_session(a, 1024),
    "storage.ext2-4k": lambda a: ext2_session(a, 4096),
    "storage.partitions": partitions,
    "storage.bad-table": bad_table,
    "storage.blockdev": blockdev,
    "storage.root": root,
    "storage.writeback": writeback,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--image")
    ap.add_argument("--initramfs")
    ap.add_argument("--workdir")
    ap.add_argument("test", nargs="?")
    args = ap.parse_args()
    if args.list:
        print("\n".join(TESTS))
        return 0
    args.workdir = os.path.join(args.workdir, args.test)
    os.makedirs(args.workdir, exist_ok=True)
    try:
        TESTS[args.test](args)
    except (TestFailure, pexpect.TIMEOUT, pexpect.EOF) as e:
        print(f"\nFAIL {args.test}: {e}")
        return 1
    print(f"\nPASS {args.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
