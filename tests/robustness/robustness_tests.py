#!/usr/bin/python3
"""Robustness tests: hostile programs run from the busybox shell, then the
kernel must still be there, the shell must still answer, and free memory
must be back at its baseline.

    robustness_tests.py --kernel build/Image --initrd build/robustness/robust.cpio TEST
    robustness_tests.py --list

The image (tests/robustness/CMakeLists.txt) is the shell image plus
/robust/* (the programs here) and /guest/* (the guest test programs). One
boot per test, so each is its own ctest case (label `robustness`).
robust.fuzz uses a fixed seed (CI_FUZZ_SEED) so that CI is reproducible;
RIVET_FUZZ_SEED in the environment picks another, `random` a fresh one
(the fuzzer prints the seed it used, so a failing run can be replayed:
docs/testing.md). Fresh seeds are the soak's job (scripts/soak.sh).
"""

import argparse
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "console"))
from busybox_console import COMMAND_TIMEOUT, SCALE, Console, TestFailure, check, note  # noqa: E402

TESTS = {}

# How far MemFree may stay below its baseline once a test's processes are
# gone. Rivet has no page cache, so what legitimately stays allocated is
# kernel heap: slabs the heap keeps once a size class was used (it hands a
# slab back only when every object in it is free, and a burst of thousands
# of processes leaves partly used slabs of long-lived objects behind), the
# procfs inodes the shell's `cat` looked up, and the log ring's lines.
# 2 MiB is ~1% of the 256 MiB test machine and well under what any real
# leak of these tests leaves: one leaked page per process of the fork bomb
# is 4 MiB+, a leaked pipe per chain stage 1 MiB+.
MEM_TOLERANCE_KB = 2048


def test(name, mem="256M"):
    def register(fn):
        TESTS[name] = (fn, mem)
        return fn
    return register


def mem_free_kb(vm):
    out = vm.sh("grep -E '^(MemFree|MemAvailable):' /proc/meminfo")
    m = re.search(r"MemFree:\s+(\d+) kB", out)
    check(m is not None, f"/proc/meminfo had no MemFree line: {out!r}")
    return int(m.group(1))


def shell_answers(vm):
    """The shell still runs commands: a builtin, a fork+exec, a pipeline."""
    vm.expect_output("echo still-alive", "still-alive")
    out = vm.run("ls /robust")
    check("fuzz_syscalls" in out, f"ls /robust printed {out!r}")
    vm.expect_output("echo abc | tr a-c x-z", "xyz")


def settle(vm):
    """Lets the orphans and zombies of a test go (init reaps them)."""
    vm.sh("sleep 1")


def memory_returned(vm, before, what):
    """MemFree is back within the tolerance, once the test's processes are
    gone: thousands of orphans take a while to be reaped by init under a
    loaded machine, so this waits up to 30 s for it."""
    for _ in range(30):
        settle(vm)
        after = mem_free_kb(vm)
        if before - after <= MEM_TOLERANCE_KB:
            break
    note(f"MemFree before {what}: {before} kB, after: {after} kB "
         f"(difference {before - after} kB, tolerance {MEM_TOLERANCE_KB} kB)")
    check(before - after <= MEM_TOLERANCE_KB,
          f"{what}: MemFree {before} kB before, {after} kB after: "
          f"{before - after} kB not returned")


def run_program(vm, line, timeout):
    """Runs line; returns (its output, its exit status)."""
    out = vm.sh(line, timeout)
    return out, vm.last_status()


# ---- the syscall fuzzer -------------------------------------------------------

FUZZ_CALLS = int(os.environ.get("RIVET_FUZZ_CALLS", "20000"))


CI_FUZZ_SEED = "2026"


@test("robust.fuzz")
def t_fuzz(vm):
    """Random syscalls with hostile arguments from 4 children at a time."""
    seed = os.environ.get("RIVET_FUZZ_SEED", CI_FUZZ_SEED)
    seed = None if seed == "random" else seed
    before = mem_free_kb(vm)
    line = f"/robust/fuzz_syscalls --calls {FUZZ_CALLS}" + (f" --seed {seed}" if seed else "")
    out, status = run_program(vm, line, 240 * SCALE)
    check(status == 0, f"the fuzzer exited with {status}:\n{out}")
    m = re.search(r"fuzz: seed (\d+): (\d+) calls in (\d+) batches", out)
    check(m is not None, f"no summary line from the fuzzer:\n{out}")
    check(int(m.group(3)) > 0, "the fuzzer ran no batch")
    note(f"fuzzer seed {m.group(1)} (replay: RIVET_FUZZ_SEED={m.group(1)})")
    shell_answers(vm)
    memory_returned(vm, before, "the fuzzer")


# ---- exhaustion ------------------------------------------------------------------

@test("robust.fork-bomb")
def t_fork_bomb(vm):
    """Root forks until the thread cap: EAGAIN, then everything goes."""
    before = mem_free_kb(vm)
    out, status = run_program(vm, "/robust/fork_bomb", 240 * SCALE)
    check(status == 0, f"fork_bomb exited with {status}:\n{out}")
    m = re.search(r"fork_bomb: (\d+) processes \(threads-max (\d+)\): (\d+) refused with EAGAIN",
                  out)
    check(m is not None, f"no summary from fork_bomb:\n{out}")
    made, cap = int(m.group(1)), int(m.group(2))
    # init, the shell and fork_bomb itself hold a few of the cap's threads.
    check(cap - 16 <= made < cap, f"{made} bomb processes, but threads-max is {cap}")
    shell_answers(vm)
    memory_returned(vm, before, "the fork bomb")


def guest_program(vm, name, timeout):
    out, status = run_program(vm, f"/guest/{name}", timeout)
    check(status == 0 and re.search(r"\d+ passed, 0 failed", out),
          f"/guest/{name} exited with {status}:\n{out}")


@test("robust.descriptors")
def t_descriptors(vm):
    """EMFILE at RLIMIT_NOFILE, 16 processes full of pipes at once, a chain
    of 200 processes linked by pipes (the guest tests test_fd_limits and
    test_pipe_chain, which also hold under Linux), run from the shell:
    afterwards every file, pipe and process is gone from memory."""
    before = mem_free_kb(vm)
    guest_program(vm, "test_fd_limits", 120 * SCALE)
    guest_program(vm, "test_pipe_chain", 120 * SCALE)
    shell_answers(vm)
    memory_returned(vm, before, "descriptor exhaustion and the pipe chain")


def oom_line(out, pid):
    return re.search(rf"Out of memory: Killed process {pid} \(mem_hog\) total-vm:\d+kB, rss:\d+kB",
                     out)


@test("robust.oom", mem="128M")
def t_oom(vm):
    """Touching more memory than there is ends in an OOM kill of the
    biggest process, alone or beside a bigger sleeper."""
    before = mem_free_kb(vm)
    out, status = run_program(vm, "/robust/mem_hog alone", 120 * SCALE)
    check(status == 0, f"mem_hog alone exited with {status}:\n{out}")
    pid = re.search(r"mem_hog: pid (\d+) touches", out).group(1)
    check(oom_line(out, pid), f"no OOM kill of pid {pid} logged:\n{out}")
    memory_returned(vm, before, "mem_hog alone")

    out, status = run_program(vm, "/robust/mem_hog biggest", 120 * SCALE)
    check(status == 0, f"mem_hog biggest exited with {status}:\n{out}")
    m = re.search(r"mem_hog: pid (\d+) holds \d+ MiB, pid (\d+) touches", out)
    check(m is not None, f"no plan line from mem_hog biggest:\n{out}")
    check(oom_line(out, m.group(1)), f"the holder (pid {m.group(1)}) was not the OOM victim:\n{out}")
    check(not oom_line(out, m.group(2)), f"the smaller toucher (pid {m.group(2)}) was killed:\n{out}")
    shell_answers(vm)
    memory_returned(vm, before, "mem_hog biggest")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("test", nargs="?")
    args = ap.parse_args()
    if args.list:
        print("\n".join(TESTS))
        return 0
    if args.test not in TESTS:
        print(f"unknown test {args.test}; --list shows them")
        return 2
    fn, mem = TESTS[args.test]
    try:
        with Console(args.kernel, args.initrd, mem=mem) as vm:
            vm.start()
            fn(vm)
            check(vm.poweroff() == 0, "poweroff did not end QEMU with status 0")
    except TestFailure as e:
        print(f"FAILED: {e}")
        return 1
    print("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
