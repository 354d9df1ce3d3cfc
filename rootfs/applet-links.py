#!/usr/bin/python3
"""Turns busybox's busybox.links into symlink lines for mkinitramfs.py.

    applet-links.py BUSYBOX_LINKS OUT.list

busybox.links (made by the busybox build from its configuration) lists the
install path of every applet, one a line (/bin/sh, /sbin/init, ...). Each
becomes `slink PATH /bin/busybox 0777`: busybox picks the applet from the
name it is run as. Absolute targets, like `busybox --install -s` makes.
"""
import sys


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        paths = [line.strip() for line in f if line.strip()]
    seen, out = set(), []
    for path in paths:
        if not path.startswith("/") or path in seen or path == "/bin/busybox":
            continue
        seen.add(path)
        out.append(f"slink {path} /bin/busybox 0777\n")
    if not out:
        sys.exit(f"applet-links: no applets in {argv[1]}")
    with open(argv[2], "w") as f:
        f.write(f"# {len(out)} busybox applet links, from {argv[1]}\n")
        f.writelines(out)


if __name__ == "__main__":
    main(sys.argv)
