#!/usr/bin/env python3
"""Run the benchmark suite (bench/rivet-bench.c) in QEMU virt and compare
kernels; the method is docs/performance.md's (design.md section 5).

    run_bench.py run KERNEL --initrd bench.cpio [--quick] [-m 256M]
        boot KERNEL with the bench initramfs as /init, print its figures
    run_bench.py compare --rivet Image --linux Image --initrd bench.cpio [--quick]
        both kernels, one after the other, and one table: each figure, the
        ratio (how many times better Rivet is: >1 means Rivet wins) and the
        geometric mean of the ratios
    run_bench.py check KERNEL --initrd bench.cpio
        the ctest case: the suite runs (--quick) and prints every figure,
        well formed, with no error line; no figure is judged
    run_bench.py minmem KERNEL --initrd bench.cpio --shell-initrd initramfs.cpio
        the smallest -m (MiB) at which KERNEL reaches the busybox prompt and
        at which it runs the whole suite (a bisection)

Every run: 1 hart, -icount shift=0 (one guest nanosecond per instruction,
so the guest's clock counts instructions; while the hart idles, waiting for
the disk, the clock follows the host's, so the ext2 figures and the time to
/init carry some host noise: docs/performance.md), a fresh 64 MiB ext2 disk made by
mke2fs on virtio-blk, the kernel command line
`console=ttyS0 quiet rdinit=/bin/rivet-bench`.
"""
import argparse
import math
import os
import re
import subprocess
import sys
import tempfile

QEMU = os.environ.get("RIVET_QEMU", "qemu-system-riscv64")
FIRMWARE = os.environ.get(
    "RIVET_FIRMWARE", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
MKE2FS = os.environ.get("RIVET_MKE2FS", "/sbin/mke2fs")
APPEND = "console=ttyS0 quiet rdinit=/bin/rivet-bench"
TIMEOUT = 1800 * float(os.environ.get("RIVET_TEST_TIMEOUT_SCALE", "1"))

# Every figure the suite prints, in its order; the unit says which way is
# better (ns, us: lower; MiB/s, files/s: higher).
FIGURES = [
    "boot_to_init", "null_syscall", "read_dev_null", "write_dev_null", "stat",
    "open_close", "fork_exit_wait", "fork_exec_wait", "sh_c_true",
    "pipe_round_trip", "pipe_bandwidth", "context_switch", "page_fault",
    "mmap_munmap_64k", "signal_install", "signal_delivery", "tmpfs_create",
    "tmpfs_delete", "ext2_seq_write", "ext2_seq_read", "ext2_create",
    "ext2_delete",
]
HIGHER_IS_BETTER = {"MiB/s", "files/s"}
LINE = re.compile(r"^bench (\S+) (-?[0-9.]+) (ns|us|MiB/s|files/s)\r?$")


def make_disk(path):
    with open(path, "wb") as f:
        f.truncate(64 << 20)
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", "4096", path], check=True,
                   stdout=subprocess.DEVNULL)


def qemu_command(kernel, initrd, mem, disk, append=APPEND, icount=True):
    cmd = [QEMU, "-M", "virt", "-smp", "1", "-m", mem, "-nographic", "-bios", FIRMWARE,
           "-kernel", kernel, "-initrd", initrd, "-append", append]
    if icount:
        cmd += ["-icount", "shift=0"]
    if disk:
        cmd += ["-drive", f"file={disk},format=raw,if=none,id=d0",
                "-device", "virtio-blk-device,drive=d0"]
    return cmd


def run_suite(kernel, initrd, mem="256M", quick=False, log=None, timeout=TIMEOUT):
    """Boot once; return (figures {name: (value, unit)}, errors, done, console)."""
    with tempfile.TemporaryDirectory(prefix="rivet-bench-") as tmp:
        disk = os.path.join(tmp, "disk.img")
        make_disk(disk)
        append = APPEND + (" bench.quick" if quick else "")
        try:
            p = subprocess.run(qemu_command(kernel, initrd, mem, disk, append),
                               stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=timeout)
            out = p.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") + "\n(timed out)\n"
    if log:
        log.write(out)
    figures, errors, done = {}, [], None
    for line in out.splitlines():
        line = line.rstrip("\r")
        m = LINE.match(line)
        if m:
            figures[m.group(1)] = (float(m.group(2)), m.group(3))
        elif line.startswith("bench-error"):
            errors.append(line)
        elif line.startswith("bench-done "):
            done = int(line.split()[1])
    return figures, errors, done, out


def speedup(name, rivet, linux):
    """How many times better Rivet's figure is than Linux's."""
    (rv, unit), (lv, _) = rivet[name], linux[name]
    if rv <= 0 or lv <= 0:
        return None
    return rv / lv if unit in HIGHER_IS_BETTER else lv / rv


def table(rivet, linux):
    rows = [f"| {'benchmark':<18} | {'unit':<7} | {'Linux':>12} | {'Rivet':>12} | {'Rivet better by':>15} |",
            f"|{'-' * 20}|{'-' * 9}|{'-' * 14}|{'-' * 14}|{'-' * 17}|"]
    ratios = []
    for name in FIGURES:
        if name not in rivet or name not in linux:
            rows.append(f"| {name:<18} | {'':<7} | {'missing' if name not in linux else '':>12} | "
                        f"{'missing' if name not in rivet else '':>12} | {'':>15} |")
            continue
        r = speedup(name, rivet, linux)
        if r is not None:
            ratios.append(r)
        rows.append(f"| {name:<18} | {rivet[name][1]:<7} | {linux[name][0]:>12,.0f} | "
                    f"{rivet[name][0]:>12,.0f} | {(f'{r:.2f}x' if r else 'n/a'):>15} |")
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else 0
    rows.append(f"| {'geometric mean':<18} | {'':<7} | {'':>12} | {'':>12} | {geo:>14.2f}x |")
    return "\n".join(rows), geo


def cmd_run(args):
    figures, errors, done, out = run_suite(args.kernel, args.initrd, args.m, args.quick,
                                           log=sys.stderr if args.verbose else None)
    for name in FIGURES:
        if name in figures:
            print(f"bench {name} {figures[name][0]:g} {figures[name][1]}")
    for e in errors:
        print(e)
    return 0 if done is not None and not errors else 1


def cmd_compare(args):
    results = {}
    for label, kernel in (("Linux", args.linux), ("Rivet", args.rivet)):
        print(f"running the suite under {label} ({kernel})", file=sys.stderr, flush=True)
        figures, errors, done, out = run_suite(kernel, args.initrd, args.m, args.quick)
        if errors or done is None:
            sys.stderr.write(out[-4000:])
            print(f"{label}: the run failed: {errors or 'no bench-done line'}", file=sys.stderr)
            return 1
        results[label] = figures
    text, geo = table(results["Rivet"], results["Linux"])
    print(text)
    return 0


def cmd_check(args):
    figures, errors, done, out = run_suite(args.kernel, args.initrd, args.m, quick=True,
                                           log=sys.stdout, timeout=600)
    problems = list(errors)
    missing = [n for n in FIGURES if n not in figures]
    if missing:
        problems.append(f"figures missing: {' '.join(missing)}")
    if done != len(figures):
        problems.append(f"bench-done says {done}, {len(figures)} figures were printed")
    for name, (value, unit) in figures.items():
        if name not in FIGURES:
            problems.append(f"unknown figure {name}")
        if not value > 0:
            problems.append(f"{name} is {value} {unit}: not a positive figure")
    for p in problems:
        print(f"FAIL: {p}")
    if not problems:
        print(f"PASS: {len(figures)} figures, well formed")
    return 1 if problems else 0


FAILED = ["Kernel panic", "panic:", "PANIC", "Out of memory", "cannot start", "bench-error"]


def boots_to(kernel, initrd, mem_mib, append, want, icount, timeout, send=None):
    """Boot and wait for want (or send a line and wait for want); False on a
    panic, an early exit or the timeout."""
    import pexpect
    disk = None
    with tempfile.TemporaryDirectory(prefix="rivet-minmem-") as tmp:
        if icount:
            disk = os.path.join(tmp, "disk.img")
            make_disk(disk)
        cmd = qemu_command(kernel, initrd, f"{mem_mib}M", disk, append, icount=icount)
        p = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                          timeout=timeout)
        try:
            if send:
                if p.expect_exact([send[0]] + FAILED) != 0:
                    return False
                p.send(send[1])
            return p.expect_exact([want] + FAILED) == 0
        except (pexpect.TIMEOUT, pexpect.EOF):
            return False
        finally:
            p.terminate(force=True)


def reaches_prompt(kernel, initrd, mem_mib):
    """Does KERNEL boot busybox's initramfs to a working shell in mem_mib?"""
    return boots_to(kernel, initrd, mem_mib, "console=ttyS0", "alive-42", False, 90,
                    send=("# ", "echo alive-$((6*7))\r"))


def runs_suite(kernel, initrd, mem_mib):
    """Does the quick suite run to its end in mem_mib?"""
    return boots_to(kernel, initrd, mem_mib, APPEND + " bench.quick", "bench-done", True, 600)


def smallest(works, lo=8, hi=64):
    """The smallest MiB in [lo, hi] for which works(MiB) holds (monotone)."""
    if not works(hi):
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if works(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi


def cmd_minmem(args):
    prompt = smallest(lambda m: reaches_prompt(args.kernel, args.shell_initrd, m))
    suite = smallest(lambda m: runs_suite(args.kernel, args.initrd, m))
    print(f"minmem {os.path.basename(args.kernel)} prompt={prompt}M suite={suite}M "
          f"image={os.path.getsize(args.kernel)}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("run", "check", "minmem"):
        p = sub.add_parser(name)
        p.add_argument("kernel")
        p.add_argument("--initrd", required=True)
        p.add_argument("-m", default="256M")
        if name == "run":
            p.add_argument("--quick", action="store_true")
            p.add_argument("--verbose", action="store_true")
        if name == "minmem":
            p.add_argument("--shell-initrd", required=True)
    p = sub.add_parser("compare")
    p.add_argument("--rivet", required=True)
    p.add_argument("--linux", required=True)
    p.add_argument("--initrd", required=True)
    p.add_argument("-m", default="256M")
    p.add_argument("--quick", action="store_true",
                   help="a tenth of the iterations (same per-operation figures, within noise)")
    args = ap.parse_args()
    return {"run": cmd_run, "compare": cmd_compare, "check": cmd_check,
            "minmem": cmd_minmem}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
