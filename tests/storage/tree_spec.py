"""The host side of the storage tree tests: the same tree as
tests/storage/ext2_tree.c writes (same seeded splitmix64, same operations in
the same order), made here with the host's own system calls, and the same
manifest format. Keep the two in step: storage.tree-linux runs the C program
under Linux (qemu-riscv64) and compares it with this.
"""
import errno
import os
import stat
import struct
import zlib

SEED = 20261202
NDIRS, NFILES, NWIDE, DEPTH = 40, 360, 200, 24
BIG_SIZE = 6 * 1024 * 1024 + 12345
EXPLICIT_TIME_LIMIT = 1500000000
CHOSEN_SIZES = [0, 1, 2, 100, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072,
                3073, 4095, 4096, 4097, 8191, 8192, 8193, 12287, 12288, 12289, 13311, 13312,
                13313, 49151, 49152, 49153, 274431, 274432, 274433, 65536, 100000]
BIG_CHUNKS = [4093, 65537, 777, 131071, 1, 30011]
M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
WIDE = "wide/entry-with-a-rather-long-name-to-fill-blocks-%03d"


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def stream(s, off, n):
    """Bytes [off, off+n) of stream s (ext2_tree.c: stream_byte)."""
    if n <= 0:
        return b""
    k0, k1 = off >> 3, (off + n - 1) >> 3
    words = [mix((s + (k + 1) * GOLDEN) & M64) for k in range(k0, k1 + 1)]
    data = struct.pack(f"<{len(words)}Q", *words)
    return data[off & 7:(off & 7) + n]


class Writer:
    """ext2_tree.c's write_tree, with Python's os calls under root."""

    def __init__(self, root):
        self.root = root
        self.state = SEED
        self.dirs = [f"d{a}/s{b}" for a in range(8) for b in range(4)] + [f"d{a}" for a in range(8)]
        self.deep = ["deep"]
        for level in range(1, DEPTH + 1):
            self.deep.append(f"{self.deep[-1]}/l{level:02d}")
        self.files = []  # (path, dir, size)

    def rng(self):
        self.state = (self.state + GOLDEN) & M64
        return mix(self.state)

    def at(self, rel):
        return os.path.join(self.root, rel)

    def put(self, rel, s, size):
        with open(self.at(rel), "xb") as f:
            f.write(stream(s, 0, size))

    def write_chunks(self, rel, s, size, chunks=None):
        with open(self.at(rel), "xb") as f:
            off, k = 0, 0
            while off < size:
                n = 1 + self.rng() % 3000 if chunks is None else chunks[k % len(chunks)]
                n = min(n, size - off)
                f.write(stream(s, off, n))
                off, k = off + n, k + 1

    def make_dirs(self):
        os.mkdir(self.root, 0o755)
        for a in range(8):
            os.mkdir(self.at(f"d{a}"))
            for b in range(4):
                os.mkdir(self.at(f"d{a}/s{b}"))
        for d in self.deep + ["wide", "gone", "full", "d7/empty"]:
            os.mkdir(self.at(d))

    def make_files(self):
        for i in range(NFILES):
            d = self.rng() % NDIRS
            size = CHOSEN_SIZES[i] if i < len(CHOSEN_SIZES) else self.rng() % 24000
            path = f"{self.dirs[d]}/f{i:03d}"
            self.files.append((path, d, size))
            self.write_chunks(path, 1000 + i, size)
        for j in range(NWIDE):
            self.put(WIDE % j, 5000 + j, (j * 37) % 300)
        self.put(f"{self.deep[DEPTH]}/bottom", 6000, 5000)
        os.symlink("../../../../x", self.at(f"{self.deep[12]}/up"))
        self.put("gone/a", 6001, 10)
        self.put("gone/b", 6002, 2000)
        self.put("full/keep", 6003, 3)

    def make_big_and_sparse(self):
        self.write_chunks("big.bin", 7000, BIG_SIZE, BIG_CHUNKS)
        os.truncate(self.at("big.bin"), 5 * 1024 * 1024 + 3)
        self.append("big.bin", 7001, 4097)
        with open(self.at("sparse.bin"), "xb") as f:
            for off, n in [(0, 100), (3 * 1024 * 1024 + 7, 5000), (66 * 1024 * 1024 + 5, 3)]:
                f.seek(off)
                f.write(stream(8000, off, n))

    def append(self, rel, s, n):
        with open(self.at(rel), "ab") as f:
            f.write(stream(s, 0, n))

    def path(self, i):
        return self.at(self.files[i][0])

    def sibling(self, i, name):
        return self.at(f"{self.dirs[self.files[i][1]]}/{name}")

    def elsewhere(self, i, shift, name):
        return self.at(f"{self.dirs[(self.files[i][1] + shift) % NDIRS]}/{name}")

    def file_op(self, i):
        _, _, size = self.files[i]
        c, p = i % 20, self.path(i)
        if c == 0:
            os.unlink(p)
        elif c == 1:
            os.truncate(p, size // 2)
        elif c == 2:
            with open(p, "wb") as f:
                f.write(stream(20000 + i, 0, 777))
        elif c == 3:
            self.append(self.files[i][0], 30000 + i, 1500)
        elif c == 4:
            os.rename(p, self.sibling(i, f"r{i:03d}"))
        elif c == 5:
            os.rename(p, self.elsewhere(i, 7, f"m{i:03d}"))
        elif c == 6:
            os.rename(p, self.path(i + 1))
        elif c == 8:
            os.link(p, self.elsewhere(i, 3, f"h{i:03d}"))
            os.link(p, self.sibling(i, f"h{i:03d}b"))
        elif c == 9:
            os.link(p, self.elsewhere(i, 11, f"k{i:03d}"))
            os.unlink(p)
        elif c == 10:
            os.link(p, self.sibling(i, f"same{i:03d}"))
            os.rename(p, self.sibling(i, f"same{i:03d}"))
        elif c == 11:
            os.chmod(p, 0o600)
        elif c == 12:
            os.symlink(f"f{i:03d}", self.sibling(i, f"sl{i:03d}"))
        elif c == 13:
            target = "".join(chr(ord("a") + (j * 7 + i + j // 26) % 26)
                             for j in range(60 + (i * 37) % 900))
            os.symlink(target, self.sibling(i, f"long{i:03d}"))
        elif c == 14:
            os.truncate(p, size + 5000)
        elif c == 15:
            with open(p, "r+b") as f:
                f.seek(size // 3)
                f.write(stream(40000 + i, size // 3, 100))
        elif c == 16:
            os.link(self.path(i + 1), self.sibling(i + 1, f"x{i + 1:03d}"))
            os.rename(p, self.path(i + 1))
        elif c == 18:
            os.chown(p, 1000 + i, 2000 + i)
            os.chmod(p, 0o640)
            set_times(p, 1000000000 + i)

    def wide_ops(self):
        for j in range(0, NWIDE, 3):
            os.unlink(self.at(WIDE % j))
        for j in range(30):
            self.put(f"wide/new-{j:03d}", 9000 + j, j * 11)

    def dir_ops(self):
        os.rename(self.at("d2"), self.at("d2renamed"))
        os.rename(self.at("d5/s2"), self.at("d6/s2moved"))
        os.rename(self.at("d4/s3"), self.at("d7/empty"))
        os.rename(self.at(self.deep[10]), self.at(f"{self.deep[9]}/l10x"))
        os.rename(self.at("d3/s1"),
                  self.at(self.deep[20].replace("/l10/", "/l10x/") + "/s1in"))
        for call in (lambda: os.rmdir(self.at("full")),
                     lambda: os.rename(self.at("d1"), self.at("full"))):
            try:
                call()
                raise AssertionError("a non-empty directory was removed or replaced")
            except OSError as e:
                assert e.errno == errno.ENOTEMPTY, e
        os.unlink(self.at("gone/a"))
        os.unlink(self.at("gone/b"))
        os.rmdir(self.at("gone"))
        set_times(self.at("d0/s1"), 1200000000)
        set_times(self.at("full"), 1200000001)

    def write(self):
        old = os.umask(0o022)
        try:
            self.make_dirs()
            self.make_files()
            self.make_big_and_sparse()
            for i in range(NFILES):
                self.file_op(i)
            self.wide_ops()
            self.dir_ops()
        finally:
            os.umask(old)


def set_times(path, t):
    os.utime(path, (t - 1000, t))


def write_tree(root):
    Writer(root).write()


def file_crc(path):
    """ext2_tree.c's file_crc: CRC-32 of each 4 KiB piece that is not all
    zeros, after its offset as 64-bit little-endian."""
    c, off = 0, 0
    with open(path, "rb") as f:
        while piece := f.read(4096):
            if piece.count(0) != len(piece):
                c = zlib.crc32(piece, zlib.crc32(struct.pack("<Q", off), c))
            off += len(piece)
    return f"{c:08x}"


def manifest(root, meta=None, count_dir_links=False):
    """Lines as `ext2_tree manifest` prints them. meta(path) may supply
    (mode, uid, gid, nlink, mtime, ino) for a name (from debugfs) instead of
    lstat on the host tree; count_dir_links gives directories 2 + their
    subdirectories (what ext2 keeps), whatever the host's file system says."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = "./" + os.path.relpath(full, root)
            st = os.lstat(full)
            mode, uid, gid, nlink, mtime, ino = (
                meta(rel) if meta else
                (st.st_mode, st.st_uid, st.st_gid, st.st_nlink, int(st.st_mtime), st.st_ino))
            if stat.S_ISDIR(st.st_mode):
                if count_dir_links:
                    nlink = 2 + sum(1 for n in os.listdir(full)
                                    if stat.S_ISDIR(os.lstat(os.path.join(full, n)).st_mode))
                size, data, kind = "-", "-", "d"
            elif stat.S_ISLNK(st.st_mode):
                data = os.readlink(full)
                size, kind = str(len(data.encode())), "l"
            elif stat.S_ISREG(st.st_mode):
                size, data, kind = str(st.st_size), file_crc(full), "f"
            else:
                size, data, kind = str(st.st_size), "-", "?"
            entries.append([rel, kind, mode, uid, gid, nlink, size, data, mtime, ino])
    entries.sort(key=lambda e: e[0])
    first = {}
    for e in entries:
        if e[1] != "d":
            first.setdefault(e[9], e[0])
    lines = []
    for rel, kind, mode, uid, gid, nlink, size, data, mtime, ino in entries:
        t = str(mtime) if mtime < EXPLICIT_TIME_LIMIT else "now"
        link = first[ino] if kind != "d" and nlink > 1 else "-"
        lines.append(f"{rel} {kind} {stat.S_IMODE(mode):04o} {uid}:{gid} {nlink} {size} "
                     f"{data} {t} {link}")
    return "\n".join(lines) + "\n"
