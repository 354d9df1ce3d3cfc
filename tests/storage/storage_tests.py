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
      exist with the right sizes, the ext2 in vda2 mounts; a GPT disk too;
      /proc/diskstats lists vda, vda1, vda2 and counts vda2's I/O in vda
  storage.bad-table   a malformed partition table: logged, no partitions, the
      disk itself still works
  storage.blockdev    /dev/vda read with dd equals the image; written through
      the node, lands in the image after sync
  storage.fsync       a file that completed fsync (fdatasync, syncfs) is on
      the disk when the power goes right after (QEMU killed: no sync, no
      umount), e2fsck clean
  storage.writeback   a file written without sync is on the disk within
      seconds (periodic write-back), and the image is consistent meanwhile
  storage.root        no initramfs, root=/dev/vda: /sbin/init runs from the
      ext2 (busybox unpacked from the initramfs), a file written there is in
      the image afterwards, e2fsck clean
  storage.root-partition  root=/dev/vda1: the same, in a GPT disk's first
      partition
  storage.malformed   six damaged images attached at once (superblock magic,
      a group descriptor, the root inode, an unknown INCOMPAT feature, the
      counts; block and indirect pointers, an inode's type, a directory
      record): mount refuses with the log line naming the problem, or the
      damaged file gives EIO and the rest still works; a good disk after
  storage.tree-write-1k, -4k, -4k.legacy   the guest's ext2_tree writes a tree
      (hundreds of files, 6 MiB in odd chunks, a sparse file into the triple
      indirect blocks, 24 levels, a many-block directory, renames of every
      kind, links, symlinks, truncations, appends, unlinks, owners, modes,
      times), syncs, powers off; e2fsck -fn clean, and the image as debugfs
      reads it (rdump + stat) equals tree_spec.py's tree made on the host:
      every name, type, mode, owner, link count, size, CRC, symlink target,
      explicit mtime, hard-link identity; Rivet's own reading equal too;
      statfs equal to dumpe2fs's figures. .legacy: virtio-mmio version 1
  storage.tree-write-parallel   two writers at once, 64 MiB of RAM (dirty
      buffers evicted): both trees whole
  storage.concurrent  -smp 2, 64 MiB of RAM: four processes at once each copy
      their own 3 MiB file and hash source and copy, two more hash other
      files meanwhile; every hash equals the host's, the copies are whole in
      the image (debugfs), e2fsck -fn clean; /proc/rivet/block shows more
      than one request in flight at some point, and /proc/diskstats (Linux's
      20 fields) counts at least the sectors read and written, in requests
      of 16 sectors or more on average (clustering)
  storage.enospc      inodes, then blocks, run out: ENOSPC at the count the
      host predicts; emptied, the free counts are back, e2fsck clean
  storage.large-file  sizes past 2 GiB (i_size_high, large_file set by the
      kernel), EFBIG past the 1 KiB-block limit
  storage.tree-read-1k, -4k   the same tree made on the host with mke2fs -d:
      the guest's manifest of it (every file's CRC ...) equals the host's
Every wait is bounded; QEMU dies with this script.
"""
import argparse
import difflib
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import tree_spec  # noqa: E402  (the host's copy of ext2_tree.c's tree)

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

    def __init__(self, args, disk, initramfs=True, append=None, legacy=False, mem="256M",
                 smp=1):
        cmd = [QEMU, "-M", "virt", "-m", mem, "-smp", str(smp), "-nographic", "-bios", FIRMWARE,
               "-kernel", args.image,
               "-global", f"virtio-mmio.force-legacy={'true' if legacy else 'false'}"]
        for i, d in enumerate([disk] if isinstance(disk, str) else disk):
            cmd += ["-drive", f"file={d},format=raw,if=none,id=d{i}",
                    "-device", f"virtio-blk-device,drive=d{i}"]
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
            partition_diskstats(g, kind)
            g.poweroff()


def partition_diskstats(g, kind):
    """/proc/diskstats lists the disk, then its partitions, by number; the
    partition's I/O counts for the disk too (as Linux counts it)."""
    lines = [ln.split() for ln in g.sh("cat /proc/diskstats").splitlines()
             if re.match(r"\s*\d+\s+\d+\s", ln)]
    check([ln[:3] for ln in lines] == [["254", "0", "vda"], ["254", "1", "vda1"],
                                       ["254", "2", "vda2"]], f"{kind}: diskstats {lines}")
    disk, p1, p2 = ([int(x) for x in ln[3:]] for ln in lines)
    check(p2[0] > 0 and p2[4] > 0, f"{kind}: vda2's reads and writes not counted: {p2}")
    for f in (0, 2, 4, 6, 15):  # reads, sectors read, writes, sectors written, flushes
        check(disk[f] >= p1[f] + p2[f], f"{kind}: vda {disk} counts less than vda1 {p1} + vda2 {p2}")


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
    """fsync, fdatasync and syncfs (busybox `sync FILE`, `sync -d FILE`,
    `sync -f FILE`), each in its own boot, then the power goes: QEMU is
    killed at once, with no sync, umount or poweroff, well inside the 5 s
    the periodic write-back waits."""
    tree, img = f"{args.workdir}/tree-fsync", f"{args.workdir}/fsync.img"
    make_tree(tree)
    run("mke2fs", "-q", "-F", "-t", "ext2", "-d", tree, img, "32M")
    for flag, name in [("", "fsynced"), ("-d", "fdatasynced"), ("-f", "syncfsed")]:
        with Guest(args, img) as g:
            g.sh("mount -t ext2 /dev/vda /mnt")
            g.sh(f"echo durable > /mnt/{name} && sync {flag} /mnt/{name}")
        check(debugfs_cat(img, f"/{name}") == b"durable\n", f"the {name} file is on the disk")
        e2fsck_clean(img)

def compare_manifests(want, got, what):
    if want == got:
        return
    diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(), "expected", what,
                                     lineterm="", n=0))
    print("\n".join(diff[:60]))
    raise TestFailure(f"{what}: {len(diff)} diff lines against the expected tree")


def debugfs_meta(img, root, paths):
    """(mode, uid, gid, links, mtime, inode, blockcount) of each path under
    root, from one debugfs run of `stat`s."""
    cmds = f"{os.path.dirname(img)}/stat.cmds"
    with open(cmds, "w") as f:
        f.write("".join(f"stat {root}/{p[2:]}\n" for p in paths))
    out = subprocess.run(["debugfs", "-f", cmds, img], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, DEBUGFS_PAGER="__none__")).stdout
    meta = {}
    for block in out.split("debugfs: stat ")[1:]:
        name = block.split("\n", 1)[0].strip()
        fields = {}
        for key, pattern in [("ino", r"Inode: (\d+)"), ("mode", r"Mode: +(\d+)"),
                             ("uid", r"User: +(\d+)"), ("gid", r"Group: +(\d+)"),
                             ("links", r"Links: (\d+)"), ("blocks", r"Blockcount: (\d+)"),
                             ("mtime", r"mtime: 0x([0-9a-f]+)")]:
            m = re.search(pattern, block)
            check(m, f"debugfs stat {name}: no {key} in {block[:300]!r}")
            base = 16 if key == "mtime" else 8 if key == "mode" else 10
            fields[key] = int(m.group(1), base)
        meta["./" + os.path.relpath(name, root)] = fields
    check(len(meta) == len(paths), f"debugfs stat: {len(meta)} answers for {len(paths)} names")
    return meta


def image_manifest(img, work, root="/tree"):
    """The manifest of root in img as e2fsprogs see it: names, contents and
    symlink targets from `debugfs rdump`, the rest from debugfs `stat`."""
    dump = f"{work}/dump"
    shutil.rmtree(dump, ignore_errors=True)
    os.makedirs(dump)
    run("debugfs", "-R", f"rdump {root} {dump}", img)
    top = f"{dump}/{os.path.basename(root)}"
    paths = ["./" + os.path.relpath(os.path.join(d, n), top)
             for d, dirs, files in os.walk(top) for n in dirs + files]
    meta = debugfs_meta(img, root, paths)
    m = tree_spec.manifest(top, lambda rel: tuple(meta[rel][k] for k in (
        "mode", "uid", "gid", "links", "mtime", "ino")))
    return m, meta


def tool_image(args, bs, img, extra=None, size="64M"):
    """An ext2 of bs-byte blocks holding /bin/ext2_tree (and extra/*)."""
    src = f"{args.workdir}/src"
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(f"{src}/bin")
    shutil.copy(args.tree_tool, f"{src}/bin/ext2_tree")
    os.chmod(f"{src}/bin/ext2_tree", 0o755)
    for name, make in (extra or {}).items():
        make(f"{src}/{name}")
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", str(bs), "-d", src, img, size)


def expected_tree(args):
    expect = f"{args.workdir}/expect"
    shutil.rmtree(expect, ignore_errors=True)
    tree_spec.write_tree(expect)
    return tree_spec.manifest(expect, count_dir_links=True)


def dumpe2fs_statfs(img):
    """What Linux's ext2 statfs reports for img (default bsddf: the total
    leaves out the overhead), from the figures `dumpe2fs` prints."""
    out = run("dumpe2fs", img)
    head = dict(re.findall(r"^([A-Za-z ]+):\s+(.*)$", out.split("\n\n")[0], re.M))
    n = {k: int(head[k]) for k in ("Block count", "Free blocks", "Reserved block count",
                                   "Inode count", "Free inodes", "Block size",
                                   "First block", "Inode blocks per group")}
    groups = re.findall(r"^Group (\d+):.*$\n((?:^  .*$\n?)*)", out, re.M)
    overhead = n["First block"]
    for _, body in groups:
        m = re.search(r"superblock at \d+, Group descriptors at (\d+)-(\d+)", body)
        if m:
            overhead += 1 + int(m.group(2)) - int(m.group(1)) + 1
    overhead += len(groups) * (2 + n["Inode blocks per group"])
    return {"bsize": n["Block size"], "blocks": n["Block count"] - overhead,
            "bfree": n["Free blocks"],
            "bavail": max(0, n["Free blocks"] - n["Reserved block count"]),
            "files": n["Inode count"], "ffree": n["Free inodes"]}


def guest_statfs(g, path):
    out = g.sh(f"stat -f -c 'STATFS %S %b %f %a %c %d' {path}")
    m = re.search(r"STATFS (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    check(m, f"stat -f printed {out!r}")
    return dict(zip(("bsize", "blocks", "bfree", "bavail", "files", "ffree"),
                    map(int, m.groups())))


def tree_write(args, bs, legacy=False):
    """The guest writes the tree (ext2_tree write), reads it back, syncs and
    powers off; the host's e2fsck and debugfs must find exactly the tree
    tree_spec.py makes on the host: nothing lost, nothing extra."""
    img = f"{args.workdir}/disk.img"
    tool_image(args, bs, img)
    want = expected_tree(args)
    with Guest(args, img, legacy=legacy) as g:
        g.sh("mount -t ext2 /dev/vda /mnt")
        g.sh("/mnt/bin/ext2_tree write /mnt/tree", timeout=300)
        g.sh("/mnt/bin/ext2_tree manifest /mnt/tree > /mnt/manifest.rivet", timeout=300)
        g.sh("sync")
        statfs = guest_statfs(g, "/mnt")
        g.poweroff()
    e2fsck_clean(img)
    want_statfs = dumpe2fs_statfs(img)
    check(statfs == want_statfs, f"statfs in the guest {statfs}, from dumpe2fs {want_statfs}")
    compare_manifests(want, debugfs_cat(img, "/manifest.rivet").decode(),
                      "Rivet's reading of what it wrote")
    got, meta = image_manifest(img, args.workdir)
    compare_manifests(want, got, "the image, read by debugfs")
    top = run("debugfs", "-R", "ls /", img).split()
    check(sorted(n for n in top if not n.startswith("(") and not n.isdigit()) ==
          [".", "..", "bin", "lost+found", "manifest.rivet", "tree"], f"the image's / holds {top}")
    # 108 bytes in three pieces, the last past 64 MiB: a few blocks and their
    # pointer blocks, not 66 MiB of zeros.
    sparse = meta["./sparse.bin"]
    check(sparse["blocks"] * 512 < 64 * bs, f"sparse.bin takes {sparse}")


def tree_write_parallel(args, bs=1024, writers=2):
    """Two writers at once on one ext2 (every operation sleeps on I/O inside
    the file system's lock), with 64 MiB of RAM: a 4 MiB cache, so dirty
    buffers are written back as they are evicted. Each tree must come out
    whole in the image (Rivet's own reading is tree-write's part)."""
    img = f"{args.workdir}/disk.img"
    tool_image(args, bs, img, size="128M")
    want = expected_tree(args)
    with Guest(args, img, mem="64M") as g:
        g.sh("mount -t ext2 /dev/vda /mnt")
        g.sh("; ".join(f"/mnt/bin/ext2_tree write /mnt/t{i} & p{i}=$!" for i in range(writers))
             + "; " + " && ".join(f"wait $p{i}" for i in range(writers)), timeout=300)
        g.sh("sync")
        g.poweroff()
    e2fsck_clean(img)
    for i in range(writers):
        got, _ = image_manifest(img, args.workdir, f"/t{i}")
        compare_manifests(want, got, f"/t{i} in the image, read by debugfs")


DISKSTATS_FIELDS = 20  # Linux 6.1: major, minor, name and 17 counters


def diskstats(g, name):
    """The counters of /proc/diskstats' line for name, as ints."""
    for line in g.sh("cat /proc/diskstats").splitlines():
        f = line.split()
        if len(f) > 2 and f[2] == name:
            check(len(f) == DISKSTATS_FIELDS, f"diskstats line of {len(f)} fields: {line!r}")
            return [int(x) for x in f[3:]]
    raise TestFailure(f"no {name} in /proc/diskstats")


def max_in_flight(g, name):
    out = g.sh("cat /proc/rivet/block")
    m = re.search(rf"^{name} (\d+) (\d+)\s*$", out, re.M)
    check(m, f"/proc/rivet/block has no {name}: {out!r}")
    return int(m.group(2))


def concurrent(args, procs=4, mib=3):
    """Several processes at once on one ext2, under -smp 2 with 64 MiB of
    RAM (a 4 MiB cache: the copies push dirty blocks out, written back in
    batches while the others read). Every copy and hash must be right, in
    the guest and in the image; more than one request must have been in
    flight at once."""
    work = args.workdir
    src = f"{work}/src"
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    sums = {}
    for i in range(procs + 2):
        data = os.urandom(mib << 20 if i < procs else 1 << 20)
        with open(f"{src}/s{i}", "wb") as f:
            f.write(data)
        sums[f"s{i}"] = hashlib.md5(data).hexdigest()
    img = f"{work}/disk.img"
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-d", src, img, "96M")
    with Guest(args, img, mem="64M", smp=2) as g:
        g.sh("mount -t ext2 /dev/vda /mnt")
        before = diskstats(g, "vda")
        # One short script per process: the console drops typed input
        # past a line's worth, so no single long command line.
        for i in range(procs + 2):
            job = (f"cat /mnt/s{i} > /mnt/d{i} && md5sum /mnt/s{i} /mnt/d{i}" if i < procs
                   else f"md5sum /mnt/s{i}")
            g.sh(f"echo '{job} > /mnt/m{i}' > /tmp/j{i}")
        ids = " ".join(str(i) for i in range(procs + 2))
        g.sh(f"for i in {ids}; do sh /tmp/j$i & done; wait", timeout=600)
        g.sh("sync")
        out = g.sh("cat " + " ".join(f"/mnt/m{i}" for i in range(procs + 2)))
        # The periodic write-back may have a request out: wait for quiet.
        for _ in range(10):
            after = diskstats(g, "vda")
            if after[8] == 0:
                break
            g.sh("sleep 1")
        most = max_in_flight(g, "vda")
        g.poweroff()
    for i in range(procs + 2):
        check(f"{sums[f's{i}']}  /mnt/s{i}" in out, f"guest's md5 of s{i}: {out!r}")
    for i in range(procs):
        check(f"{sums[f's{i}']}  /mnt/d{i}" in out, f"guest's md5 of its copy d{i}: {out!r}")
    e2fsck_clean(img)
    for i in range(procs):
        got = hashlib.md5(debugfs_cat(img, f"/d{i}")).hexdigest()
        check(got == sums[f"s{i}"], f"/d{i} in the image (debugfs): md5 {got}")
    check(most > 1, f"at most {most} request(s) in flight at once")
    # reads, reads merged, sectors read, ms; the same for writes; in flight,
    # io ms, weighted ms; 4 discard fields; flushes, ms flushing.
    delta = [a - b for a, b in zip(after, before)]
    read_sectors = sum((mib << 20 if i < procs else 1 << 20) for i in range(procs + 2)) // 512
    check(delta[2] >= read_sectors, f"diskstats: {delta[2]} sectors read, the sources are {read_sectors}")
    check(delta[6] >= procs * (mib << 20) // 512, f"diskstats: {delta[6]} sectors written")
    check(delta[0] > 0 and delta[4] > 0 and delta[15] > 0, f"diskstats counts {after}")
    # Clustering still works with the I/O spread over tasks: sequential
    # files go in requests of many blocks (up to 64 KiB, 128 sectors).
    check(delta[2] >= 16 * delta[0] and delta[6] >= 16 * delta[4],
          f"diskstats: {delta[0]} reads of {delta[2]} sectors, {delta[4]} writes of {delta[6]}")
    check(after[8] == 0, f"diskstats: {after[8]} in flight after sync")
    check(after[1] == after[5] == 0 and after[11:15] == [0, 0, 0, 0],
          f"diskstats: merges and discards are not done, yet {after}")
    check(after[9] <= after[10] and after[3] + after[7] + after[16] <= after[10],
          f"diskstats: busy and per-kind times above the weighted time: {after}")


def enospc(args):
    """A small ext2 filled up: new names until the inodes run out (as many
    as the host says are free, then ENOSPC), then data until the blocks do
    (ENOSPC, df at 0 available); all removed, the free counts are the
    pristine image's again and e2fsck is clean."""
    for bs in (1024, 4096):
        img = f"{args.workdir}/full{bs}.img"
        run("mke2fs", "-q", "-F", "-t", "ext2", "-b", str(bs), "-N", "48", img, "4M")
        before = dumpe2fs_statfs(img)
        with Guest(args, img) as g:
            g.sh("mount -t ext2 /dev/vda /mnt && mkdir /mnt/d")
            out = g.sh("i=0; while touch /mnt/d/f$i; do i=$((i+1)); done; echo made $i", want=None)
            check(f"made {before['ffree'] - 1}" in out and "No space left on device" in out,
                  f"{bs}: {before['ffree'] - 1} names until ENOSPC, not {out!r}")
            g.sh("rm -r /mnt/d")
            out = g.sh("dd if=/dev/zero of=/mnt/big bs=4096 count=2000; echo status=$?", want=None)
            check("No space left on device" in out and "status=1" in out, f"{bs}: dd gave {out!r}")
            check(guest_statfs(g, "/mnt")["bfree"] == 0, f"{bs}: blocks left after ENOSPC")
            g.sh("rm /mnt/big && sync")
            after = guest_statfs(g, "/mnt")
            g.poweroff()
        e2fsck_clean(img)
        check(after == before and dumpe2fs_statfs(img) == before,
              f"{bs}: free counts {after} after emptying, {before} before")


def large_file(args):
    """Past 2 GiB on an image made without large_file: the guest writes two
    bytes at 3 GiB - 2 and truncates another file up to 5 GiB; the sizes
    use i_size_high, the feature is set, e2fsck is clean. The 1 KiB-block
    limit (16 GiB and a bit, as Linux's) gives EFBIG; 4 KiB blocks take 17 GiB."""
    for bs in (1024, 4096):
        img = f"{args.workdir}/large{bs}.img"
        run("mke2fs", "-q", "-F", "-t", "ext2", "-O", "^large_file", "-b", str(bs), img, "16M")
        with Guest(args, img) as g:
            g.sh("mount -t ext2 /dev/vda /mnt")
            g.sh("echo -n XY | dd of=/mnt/huge bs=1 seek=3221225470 2>/dev/null")
            g.sh("truncate -s 5G /mnt/t5")
            check("XY" in g.sh("tail -c 2 /mnt/huge"), f"{bs}: the bytes at 3 GiB")
            out = g.sh("truncate -s 17G /mnt/t17; echo status=$?", want=None)
            if bs == 1024:
                check("File too large" in out and "status=1" in out, f"{bs}: 17 GiB gave {out!r}")
            else:
                check("status=0" in out, f"{bs}: 17 GiB gave {out!r}")
            g.sh("sync")
            g.poweroff()
        e2fsck_clean(img)
        check("large_file" in run("dumpe2fs", "-h", img), f"{bs}: large_file not set")
        sizes = [("huge", 3 << 30), ("t5", 5 << 30)] + [("t17", 17 << 30)] * (bs == 4096)
        for name, size in sizes:
            st = run("debugfs", "-R", f"stat /{name}", img)
            check(re.search(rf"Size: {size}\b", st), f"{bs}: /{name} not {size} bytes: {st[:300]}")


def tree_read(args, bs, legacy=False):
    """An image made by the host's `mke2fs -d` from tree_spec.py's tree; the
    guest's manifest of it (every file's CRC, size, mode, owner, links,
    symlink target, explicit mtimes) must equal the host's."""
    img = f"{args.workdir}/disk.img"
    manifests = {}

    def tree(path):
        tree_spec.write_tree(path)
        manifests["want"] = tree_spec.manifest(path, count_dir_links=True)

    tool_image(args, bs, img, {"tree": tree})
    with open(f"{args.workdir}/manifest.host", "w") as f:
        f.write(manifests["want"])
    run("debugfs", "-w", "-R", f"write {args.workdir}/manifest.host manifest.host", img)
    with Guest(args, img, legacy=legacy) as g:
        g.sh("mount -t ext2 -o ro /dev/vda /mnt")
        g.sh("/mnt/bin/ext2_tree manifest /mnt/tree > /tmp/manifest.rivet", timeout=300)
        out = g.sh("cmp /tmp/manifest.rivet /mnt/manifest.host && echo SAME-MANIFEST || "
                   "diff /mnt/manifest.host /tmp/manifest.rivet | head -40", want=None)
        check("SAME-MANIFEST" in out, "the guest's manifest differs from the host's")
        g.poweroff()


def malformed_image(work, name, mib, damage):
    """A 1 KiB-block ext2 of mib MiB (its size names it in the guest) with a
    directory and files to damage; damage(img) breaks it."""
    tree, img = f"{work}/mtree", f"{work}/{name}.img"
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(f"{tree}/dir")
    for i in range(5):
        with open(f"{tree}/dir/n{i}", "wb") as f:
            f.write(b"%d" % i)
    for fname, size in [("ok", 3000), ("badptr", 3000), ("badind", 40000), ("badmode", 10)]:
        with open(f"{tree}/{fname}", "wb") as f:
            f.write(tree_spec.stream(len(fname), 0, size))
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-d", tree, img, f"{mib}M")
    damage(img)
    return img


def debugfs_w(img, *cmds):
    for c in cmds:
        run("debugfs", "-w", "-R", c, img)


def damage_files(img):
    """Inside a mountable image: a block pointer and an indirect pointer
    outside the file system, an inode of no type, a directory record whose
    length is not a multiple of 4."""
    debugfs_w(img, "sif /badptr block[0] 0x7ffffff0", "sif /badind block[IND] 0x7ffffff0",
              "sif /badmode mode 0170644")
    block = int(run("debugfs", "-R", "blocks /dir", img).split()[0])
    patch(img, block * 1024 + 4, struct.pack("<H", 13))  # the first record's rec_len


def patch(img, offset, data):
    with open(img, "r+b") as f:
        f.seek(offset)
        f.write(data)


MALFORMED = [
    # name, MiB, damage, what mount says (None: mounts, files give EIO)
    ("magic", 9, lambda i: patch(i, 1024 + 56, b"\x34\x12"), "bad magic"),
    ("groupdesc", 10, lambda i: debugfs_w(i, "set_bg 0 inode_table 0x7ffffff0"),
     "bad group descriptor"),
    ("rootinode", 11, lambda i: debugfs_w(i, "sif <2> mode 0100644"), "root is not a directory"),
    ("incompat", 12, lambda i: debugfs_w(i, "ssv feature_incompat 0x10002"),
     "unsupported incompatible features 0x10000"),
    ("counts", 13, lambda i: debugfs_w(i, "ssv inodes_count 7"), "cannot mount"),
    ("files", 14, damage_files, None),
]


def malformed(args):
    """Damaged images on a booted Rivet, all attached at once: the broken
    superblock, descriptors and root inode refuse the mount with a log line
    naming the problem; damaged files and directories read as EIO and the
    rest of that file system still works; then a good disk, the shell alive."""
    work = args.workdir
    imgs = [malformed_image(work, n, mib, d) for n, mib, d, _ in MALFORMED]
    good = f"{work}/good.img"
    tool_image(args, 4096, good, size="8M")
    with Guest(args, imgs + [good]) as g:
        out = g.sh("for d in /dev/vd?; do echo SIZE ${d#/dev/} $(blockdev --getsize64 $d); done")
        sizes = {int(n) >> 20: dev for dev, n in re.findall(r"SIZE (vd[a-z]) (\d+)", out)}
        check(len(sizes) == len(imgs) + 1, f"disks seen: {sizes}")
        g.sh("mkdir -p /good && mount -t ext2 /dev/%s /good" % sizes[8])
        for name, mib, _, why in MALFORMED:
            dev = sizes[mib]
            g.sh(f"mkdir -p /m/{dev}")
            if why:
                out = g.sh(f"mount -t ext2 /dev/{dev} /m/{dev}; echo status=$?", want=None)
                check("status=0" not in out, f"{name}: the damaged image mounted")
                log = g.sh(f"dmesg | grep 'ext2 ({dev})'", want=None)
                check(why in log, f"{name}: the log says {log!r}, not {why!r}")
                continue
            g.sh(f"mount -t ext2 /dev/{dev} /m/{dev}")
            out = g.sh(f"md5sum /m/{dev}/ok")
            check(hashlib.md5(tree_spec.stream(2, 0, 3000)).hexdigest() in out,
                  f"the intact file: {out!r}")
            # (busybox ls ignores readdir's errors: the tree tool reads the
            # directory and reports them)
            for cmd in (f"cat /m/{dev}/badptr", f"cat /m/{dev}/badind", f"stat /m/{dev}/badmode",
                        f"/good/bin/ext2_tree manifest /m/{dev}/dir", f"cat /m/{dev}/dir/n0"):
                out = g.sh(f"{cmd} >/dev/null; echo status=$?", want=None)
                check("Input/output error" in out and "status=0" not in out,
                      f"{name}: `{cmd}` gave {out!r}, not EIO")
            g.sh(f"head -c 100 /m/{dev}/badind >/dev/null")  # its direct blocks are fine
            g.sh(f"echo still > /m/{dev}/new && cat /m/{dev}/new")
        g.sh("echo fine > /good/x && sync")
        g.poweroff()
    e2fsck_clean(good)
    check(debugfs_cat(good, "/x") == b"fine\n", "the good disk took the write")


def root_partition(args):
    """root=/dev/vda1: the unpacked initramfs in an ext2 in a GPT disk's
    first partition; the shell comes up and writes there."""
    tree, fs = f"{args.workdir}/root", f"{args.workdir}/root1.img"
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    unpack_newc(args.initramfs, tree)
    start, count = 2048, 48 << 11
    run("mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree, fs, f"{count // 2}k")
    disk, sectors = f"{args.workdir}/parted.img", 64 << 11
    with open(disk, "wb") as f:
        f.truncate(sectors * 512)
        f.write(gpt([(start, start + count - 1)], sectors))
        f.seek(start * 512)
        f.write(open(fs, "rb").read())
    with Guest(args, disk, initramfs=False, append="root=/dev/vda1") as g:
        g.sh("echo onpart > /root/marker && sync")
        check("vda1" in g.sh("ls /dev"), "/dev/vda1 on the partition root")
        g.poweroff()
    with open(disk, "rb") as f, open(fs, "wb") as out:
        f.seek(start * 512)
        out.write(f.read(count * 512))
    e2fsck_clean(fs)
    check(debugfs_cat(fs, "/root/marker") == b"onpart\n", "debugfs reads /root/marker")


TESTS = {
    "storage.fsync": fsync_survives,
    "storage.ext2-1k": lambda a: ext2_session(a, 1024),
    "storage.ext2-4k": lambda a: ext2_session(a, 4096),
    "storage.partitions": partitions,
    "storage.bad-table": bad_table,
    "storage.blockdev": blockdev,
    "storage.root": root,
    "storage.root-partition": root_partition,
    "storage.malformed": malformed,
    "storage.writeback": writeback,
    "storage.tree-write-1k": lambda a: tree_write(a, 1024),
    "storage.tree-write-4k": lambda a: tree_write(a, 4096),
    "storage.tree-write-4k.legacy": lambda a: tree_write(a, 4096, legacy=True),
    "storage.tree-write-parallel": tree_write_parallel,
    "storage.concurrent": concurrent,
    "storage.enospc": enospc,
    "storage.large-file": large_file,
    "storage.tree-read-1k": lambda a: tree_read(a, 1024),
    "storage.tree-read-4k": lambda a: tree_read(a, 4096),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--image")
    ap.add_argument("--initramfs")
    ap.add_argument("--workdir")
    ap.add_argument("--tree-tool", help="ext2_tree built for the guest")
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
