#!/usr/bin/python3
"""Runs one guest program and checks how it ends.

    run_guest.py rivet IMAGE INITRAMFS NAME EXPECT...
    run_guest.py rivet-smp4 IMAGE INITRAMFS NAME EXPECT...
    run_guest.py linux PROGRAM NAME EXPECT...

rivet: boots IMAGE in QEMU virt with INITRAMFS and rdinit=/bin/NAME, then
checks the program's output and how the kernel says it ended, and that the
kernel still answers afterwards. rivet-smp4: the same on 4 harts (and the
boot log must say all 4 came online). linux: runs PROGRAM under qemu-riscv64
(user mode, so the host Linux kernel answers the syscalls) as the reference.

EXPECT items: status=N (exit status), signal=NAME (killed by it),
output=TEXT (must appear), no-fail (a "N passed, 0 failed" line must appear).
"""
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
import rivet_qemu  # noqa: E402

TIMEOUT = 120


def parse_expect(items):
    want = {"status": None, "signal": None, "output": [], "no_fail": False}
    for item in items:
        key, _, value = item.partition("=")
        if key == "status":
            want["status"] = int(value)
        elif key == "signal":
            want["signal"] = value
        elif key == "output":
            want["output"].append(value)
        elif key == "no-fail":
            want["no_fail"] = True
        else:
            sys.exit(f"unknown expectation {item}")
    return want


def check_output(text, want):
    for needle in want["output"]:
        rivet_qemu.check(needle in text, f"expected output {needle!r}")
    if want["no_fail"]:
        m = re.search(r"(\d+) passed, (\d+) failed", text)
        rivet_qemu.check(m is not None, "no 'N passed, N failed' line")
        rivet_qemu.check(int(m.group(2)) == 0 and int(m.group(1)) > 0,
                         f"guest checks failed: {m.group(0)}")
        print(f"guest: {m.group(0)}")


def run_rivet(image, initramfs, name, want, smp=1):
    with rivet_qemu.Rivet(image, mem="256M", smp=smp, append=f"rdinit=/bin/{name}",
                          extra=["-initrd", initramfs]) as vm:
        vm.spawn()
        if smp > 1:
            vm.expect(f"smp: {smp} of {smp} harts online", TIMEOUT, "all harts online")
        vm.expect(r"kern: (\S+) \(pid \d+\) (exited with status (\d+)|was killed by (\w+))\r*\n",
                  TIMEOUT, "the program's end", exact=False)
        m = vm.proc.match
        text = rivet_qemu._crlf(vm.proc.before)
        if want["signal"]:
            rivet_qemu.check(m.group(4) == want["signal"], f"ended: {m.group(2)}")
        else:
            rivet_qemu.check(m.group(3) is not None and int(m.group(3)) == want["status"],
                             f"ended: {m.group(2)}, wanted status {want['status']}")
        check_output(text, want)
        vm.expect(rivet_qemu.PROMPT, TIMEOUT, "the monitor after the program")
        out = vm.command("echo still-alive")
        rivet_qemu.check("still-alive" in out, "the kernel did not answer after the program")
        rivet_qemu.check(vm.poweroff() == 0, "poweroff did not end QEMU with status 0")


def run_linux(program, name, want):
    r = subprocess.run(["qemu-riscv64", program], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=TIMEOUT)
    sys.stdout.write(r.stdout)
    if want["signal"]:
        sig = -r.returncode
        rivet_qemu.check(r.returncode < 0 and signal.Signals(sig).name == want["signal"],
                         f"{name}: wanted {want['signal']}, got return code {r.returncode}")
    else:
        rivet_qemu.check(r.returncode == want["status"],
                         f"{name}: exit status {r.returncode}, wanted {want['status']}")
    check_output(r.stdout, want)


def main(argv):
    try:
        if argv[1] == "rivet":
            run_rivet(argv[2], argv[3], argv[4], parse_expect(argv[5:]))
        elif argv[1] == "rivet-smp4":
            run_rivet(argv[2], argv[3], argv[4], parse_expect(argv[5:]), smp=4)
        elif argv[1] == "linux":
            run_linux(argv[2], argv[3], parse_expect(argv[4:]))
        else:
            sys.exit(__doc__)
    except rivet_qemu.TestFailure as e:
        print(f"FAILED: {e}")
        return 1
    print("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
