#!/usr/bin/python3
"""Configures an out-of-tree busybox build: defconfig + our fragment.

    busybox-config.py SRC OBJ FRAGMENT STAMP [NAME=VALUE ...]

SRC is the pristine busybox tree (deps/busybox, from scripts/setup.sh), OBJ
the build folder (make O=OBJ), FRAGMENT a .config fragment (rootfs/
busybox.config). NAME=VALUE pairs override the fragment (e.g.
CONFIG_CROSS_COMPILER_PREFIX="riscv64-linux-gnu-").

Steps: `make defconfig` from scratch, set the fragment's lines in .config,
`make oldconfig` with default answers for what they reveal, then check that
every fragment line holds. STAMP is written last, only on success, so the
build never uses a half-made configuration. The make output goes to
OBJ/config.log.
"""
import os
import re
import subprocess
import sys

LINE = re.compile(r"^(CONFIG_\w+)=(.*)$")
UNSET = re.compile(r"^# (CONFIG_\w+) is not set$")


def die(msg):
    sys.exit(f"busybox-config: error: {msg}")


def parse(lines, where):
    """Returns {NAME: value or None (not set)} from .config-style lines."""
    out = {}
    for n, line in enumerate(lines, 1):
        line = line.strip()
        m = LINE.match(line) or UNSET.match(line)
        if m:
            out[m.group(1)] = m.group(2) if m.re is LINE else None
        elif line and not line.startswith("#"):
            die(f"{where}:{n}: not a .config line: {line}")
    return out


def make(args, log, stdin_text=None):
    env = dict(os.environ)
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(var, None)   # a parent make's jobserver must not leak in
    log.write(f"$ make {' '.join(args)}\n")
    log.flush()
    r = subprocess.run(["make"] + args, stdout=log, stderr=subprocess.STDOUT,
                       input=stdin_text, text=True, env=env)
    return r.returncode == 0


def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    src, obj, fragment, stamp = (os.path.abspath(a) for a in argv[1:5])
    if not (os.path.isfile(os.path.join(src, "Makefile"))
            and os.path.isfile(os.path.join(src, ".stamp"))):
        die(f"no busybox source in {src}: run scripts/setup.sh first "
            "(it fetches Debian's busybox source package into deps/busybox)")

    with open(fragment) as f:
        want = parse(f.read().splitlines(), fragment)
    for pair in argv[5:]:
        want.update(parse([pair], "command line"))

    os.makedirs(obj, exist_ok=True)
    for stale in (stamp, os.path.join(obj, ".config")):
        if os.path.exists(stale):
            os.remove(stale)
    logpath = os.path.join(obj, "config.log")
    config = os.path.join(obj, ".config")
    with open(logpath, "w") as log:
        if not make(["-C", src, f"O={obj}", "defconfig"], log):
            die(f"make defconfig failed; see {logpath}")

        with open(config) as f:
            lines = f.read().splitlines()
        todo = dict(want)
        for i, line in enumerate(lines):
            m = LINE.match(line) or UNSET.match(line)
            if m and m.group(1) in todo:
                name, value = m.group(1), todo.pop(m.group(1))
                lines[i] = f"{name}={value}" if value is not None else f"# {name} is not set"
        # Options defconfig did not list (hidden by a dependency): add them;
        # oldconfig drops them again if the dependency stays unmet.
        for name, value in todo.items():
            lines.append(f"{name}={value}" if value is not None else f"# {name} is not set")
        with open(config, "w") as f:
            f.write("\n".join(lines) + "\n")

        # New symbols revealed by our choices get their default answer.
        if not make(["-C", obj, "oldconfig"], log, stdin_text="\n" * 10000):
            die(f"make oldconfig failed; see {logpath}")

    with open(config) as f:
        got = parse(f.read().splitlines(), config)
    bad = []
    for name, value in want.items():
        have = got.get(name)
        if have != value and not (value is None and have in (None, "n")):
            bad.append(f"{name}: wanted {value or 'not set'}, got {have or 'not set'}")
    if bad:
        die("the fragment does not hold after oldconfig (unmet dependencies?):\n  "
            + "\n  ".join(bad))

    with open(stamp, "w") as f:
        f.write(f"{len(want)} options from {fragment} applied\n")


if __name__ == "__main__":
    main(sys.argv)
