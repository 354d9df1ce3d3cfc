#!/usr/bin/python3
"""Packs files into a newc cpio archive (the initramfs format Linux reads).

    mkinitramfs.py OUT.cpio DEST=SRC [DEST=SRC ...]

DEST is the path inside the archive (parent directories are added), SRC a
file on the host. Owners are root, times 0, so archives are reproducible.
"""
import os
import stat
import sys


def header(ino, mode, nlink, size, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def entry(ino, mode, name, body=b"", nlink=1):
    name_b = name.encode()
    return pad4(header(ino, mode, nlink, len(body), name_b) + name_b + b"\0") + pad4(body)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out, specs = argv[1], argv[2:]
    dirs, files = set(), []
    for spec in specs:
        dest, src = spec.split("=", 1)
        dest = dest.strip("/")
        parts = dest.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
        files.append((dest, src))
    blob, ino = b"", 1
    for d in sorted(dirs):
        blob += entry(ino, stat.S_IFDIR | 0o755, d, nlink=2)
        ino += 1
    for dest, src in files:
        with open(src, "rb") as f:
            body = f.read()
        mode = stat.S_IFREG | (0o755 if os.access(src, os.X_OK) else 0o644)
        blob += entry(ino, mode, dest, body)
        ino += 1
    blob += entry(0, 0, "TRAILER!!!")
    blob += b"\0" * (-len(blob) % 512)
    with open(out, "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main(sys.argv)
