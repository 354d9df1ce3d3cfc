#!/usr/bin/python3
"""Packs files into a newc cpio archive (the initramfs format Linux reads).

    mkinitramfs.py OUT.cpio [DEST=SRC ...] [--list FILE ...]

DEST=SRC adds the host file SRC as DEST inside the archive (mode 0755 if SRC
is executable, else 0644). --list FILE reads entries from FILE, one a line,
in the format of Linux's usr/gen_init_cpio (uid and gid may be left out):

    file  NAME SRC MODE [UID GID]       a regular file from the host
    dir   NAME MODE [UID GID]           a directory (also for empty ones)
    slink NAME TARGET MODE [UID GID]    a symbolic link to TARGET
    nod   NAME MODE UID GID c|b MAJ MIN a device node (no root needed)

Blank lines and lines starting with '#' are skipped; ${VAR} in SRC is
replaced from the environment. MODE is octal permission bits. A relative
SRC in a list is taken from the list file's folder.

Parent directories are added as needed (0755). Directories come first,
sorted, so each precedes its contents; then the other entries in the order
given. Owners are root unless a list says otherwise, times are 0, so archives
are reproducible. A name given twice is an error.
"""
import os
import re
import stat
import sys


def header(ino, mode, uid, gid, nlink, size, rdev, name):
    fields = [ino, mode, uid, gid, nlink, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def entry(ino, mode, name, body=b"", nlink=1, uid=0, gid=0, rdev=(0, 0)):
    name_b = name.encode()
    head = header(ino, mode, uid, gid, nlink, len(body), rdev, name_b)
    return pad4(head + name_b + b"\0") + pad4(body)


class Archive:
    def __init__(self):
        self.dirs = {}     # name -> (mode, uid, gid); name "" is never stored
        self.others = []   # (name, mode, uid, gid, body or ("src", path), rdev)
        self.names = set()

    def _claim(self, name, where):
        if not name or name in (".", ".."):
            raise ValueError(f"{where}: empty or invalid name")
        if name in self.names:
            raise ValueError(f"{where}: '/{name}' given twice")
        self.names.add(name)

    def _parents(self, name):
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            self.dirs.setdefault("/".join(parts[:i]), (0o755, 0, 0))

    def add_dir(self, name, mode, uid, gid, where):
        name = name.strip("/")
        self._claim(name, where)
        self._parents(name)
        self.dirs[name] = (mode, uid, gid)

    def add_other(self, name, ftype, mode, uid, gid, body, where, rdev=(0, 0)):
        name = name.strip("/")
        self._claim(name, where)
        self._parents(name)
        self.others.append((name, ftype | mode, uid, gid, body, rdev))

    def add_file(self, name, src, mode, uid, gid, where):
        if not os.path.isfile(src):
            raise ValueError(f"{where}: no such file: {src}")
        self.add_other(name, stat.S_IFREG, mode, uid, gid, ("src", src), where)

    def write(self, out):
        # A path that is both a directory and something else is an error.
        clash = set(self.dirs) & {o[0] for o in self.others}
        if clash:
            raise ValueError(f"'/{sorted(clash)[0]}' is a directory and a non-directory")
        chunks, ino = [], 1
        for d in sorted(self.dirs):
            mode, uid, gid = self.dirs[d]
            chunks.append(entry(ino, stat.S_IFDIR | mode, d, nlink=2, uid=uid, gid=gid))
            ino += 1
        for name, mode, uid, gid, body, rdev in self.others:
            if isinstance(body, tuple):
                with open(body[1], "rb") as f:
                    body = f.read()
            chunks.append(entry(ino, mode, name, body, uid=uid, gid=gid, rdev=rdev))
            ino += 1
        chunks.append(entry(0, 0, "TRAILER!!!"))
        blob = b"".join(chunks)
        blob += b"\0" * (-len(blob) % 512)
        with open(out, "wb") as f:
            f.write(blob)


def expand(text, where):
    def var(m):
        if m.group(1) not in os.environ:
            raise ValueError(f"{where}: ${{{m.group(1)}}} is not set")
        return os.environ[m.group(1)]
    return re.sub(r"\$\{(\w+)\}", var, text)


def read_list(arch, path):
    base = os.path.dirname(os.path.abspath(path))
    with open(path) as f:
        lines = f.read().splitlines()
    for n, line in enumerate(lines, 1):
        where = f"{path}:{n}"
        w = line.split()
        if not w or w[0].startswith("#"):
            continue
        kind, args = w[0], w[1:]
        # (required args, optional trailing uid gid)
        shapes = {"file": 3, "dir": 2, "slink": 3, "nod": 7}
        if kind not in shapes:
            raise ValueError(f"{where}: unknown entry type '{kind}'")
        need = shapes[kind]
        if kind == "nod" and len(args) != need:
            raise ValueError(f"{where}: nod NAME MODE UID GID c|b MAJ MIN")
        if kind != "nod" and len(args) not in (need, need + 2):
            raise ValueError(f"{where}: wrong number of fields for '{kind}'")
        try:
            if kind == "nod":
                name, mode, uid, gid, dtype, major, minor = args
                if dtype not in ("c", "b"):
                    raise ValueError(f"{where}: device type must be c or b")
                ftype = stat.S_IFCHR if dtype == "c" else stat.S_IFBLK
                arch.add_other(name, ftype, int(mode, 8), int(uid), int(gid), b"", where,
                               rdev=(int(major), int(minor)))
                continue
            uid, gid = (int(args[need]), int(args[need + 1])) if len(args) > need else (0, 0)
            mode = int(args[need - 1], 8)
        except ValueError as e:
            if str(e).startswith(where):
                raise
            raise ValueError(f"{where}: bad number ({e})") from None
        if kind == "file":
            src = expand(args[1], where)
            arch.add_file(args[0], os.path.join(base, src), mode, uid, gid, where)
        elif kind == "dir":
            arch.add_dir(args[0], mode, uid, gid, where)
        else:  # slink
            arch.add_other(args[0], stat.S_IFLNK, mode, uid, gid, args[1].encode(), where)


def main(argv):
    if len(argv) < 3 or argv[1].startswith("-"):
        sys.exit(__doc__)
    out, args = argv[1], argv[2:]
    arch = Archive()
    try:
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("--list", "-l"):
                if i + 1 == len(args):
                    raise ValueError("--list needs a file")
                read_list(arch, args[i + 1])
                i += 2
                continue
            if "=" not in a:
                raise ValueError(f"expected DEST=SRC or --list FILE, got '{a}'")
            dest, src = a.split("=", 1)
            mode = 0o755 if os.access(src, os.X_OK) else 0o644
            arch.add_file(dest, src, mode, 0, 0, a)
            i += 1
        arch.write(out)
    except (ValueError, OSError) as e:
        sys.exit(f"mkinitramfs: {e}")


if __name__ == "__main__":
    main(sys.argv)
