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

# How far MemFree (and MemAvailable) may stay below its baseline once a
# test's processes are gone. Rivet has no page cache, so what legitimately stays allocated is
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


MEM_FIELDS = ("MemFree", "MemAvailable")


def meminfo_kb(vm):
    """MemFree and MemAvailable from /proc/meminfo, in kB."""
    out = vm.sh("grep -E '^(MemFree|MemAvailable):' /proc/meminfo")
    got = {}
    for field in MEM_FIELDS:
        m = re.search(rf"{field}:\s+(\d+) kB", out)
        check(m is not None, f"/proc/meminfo had no {field} line: {out!r}")
        got[field] = int(m.group(1))
    return got


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
    """MemFree and MemAvailable are back within the tolerance, once the
    test's processes are gone: thousands of orphans take a while to be
    reaped by init under a loaded machine, so this waits up to 30 s."""
    def lost(after):
        return {f: before[f] - after[f] for f in MEM_FIELDS}

    for _ in range(30):
        settle(vm)
        after = meminfo_kb(vm)
        if max(lost(after).values()) <= MEM_TOLERANCE_KB:
            break
    for field in MEM_FIELDS:
        note(f"{field} before {what}: {before[field]} kB, after: {after[field]} kB "
             f"(difference {lost(after)[field]} kB, tolerance {MEM_TOLERANCE_KB} kB)")
    for field in MEM_FIELDS:
        check(lost(after)[field] <= MEM_TOLERANCE_KB,
              f"{what}: {field} {before[field]} kB before, {after[field]} kB after: "
              f"{lost(after)[field]} kB not returned")


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
    before = meminfo_kb(vm)
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
    before = meminfo_kb(vm)
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


# A shell pipeline of busybox cats: each stage is a fork and an exec, and
# an exec here copies busybox's 1.7 MiB image into the process (there is no
# page cache to share text through), so ~100 stages fill 256 MiB. A depth
# that fits must pass its data through; a depth that cannot fit must fail
# stage by stage with ENOMEM (exec), EAGAIN (fork) or an OOM kill, and the
# shell must live on.
PIPELINE_FITS = 40
PIPELINE_EXHAUSTS = 500
PIPELINE_FAILURE_RE = re.compile(
    r"ENOMEM|Out of memory|Cannot allocate memory|can't fork|Resource temporarily unavailable"
    r"|Killed|Broken pipe")


def shell_pipeline(vm, stages):
    """Has the shell build seq | cat x stages | wc -l; returns its output."""
    # (Three lines: each must fit the 80-column console.)
    vm.sh("s='seq 1 3000'; i=0")
    vm.sh(f"while [ $i -lt {stages} ]; do s=\"$s | cat\"; i=$((i + 1)); done")
    return vm.sh("eval \"$s | wc -l\"; echo status $?", 180 * SCALE)


@test("robust.descriptors")
def t_descriptors(vm):
    """EMFILE at RLIMIT_NOFILE, 16 processes full of pipes at once, a chain
    of 200 processes linked by pipes (the guest tests test_fd_limits and
    test_pipe_chain, which also hold under Linux), then shell pipelines of
    40 cats (which must work) and 500 (which must fail cleanly), all run
    from the shell: afterwards every file, pipe and process is gone from
    memory."""
    before = meminfo_kb(vm)
    guest_program(vm, "test_fd_limits", 120 * SCALE)
    guest_program(vm, "test_pipe_chain", 120 * SCALE)
    out = shell_pipeline(vm, PIPELINE_FITS)
    check(re.search(r"^3000\s*$", out, re.M) and "status 0" in out,
          f"a pipeline of {PIPELINE_FITS} cats printed {out!r}")
    out = shell_pipeline(vm, PIPELINE_EXHAUSTS)
    lines = [ln for ln in out.splitlines() if ln.strip()]
    odd = [ln for ln in lines if not PIPELINE_FAILURE_RE.search(ln)
           and not re.fullmatch(r"\s*\d+\s*|status \d+", ln)]
    check(not odd, f"a pipeline of {PIPELINE_EXHAUSTS} cats failed otherwise than out of"
          f" memory: {odd[:5]!r}")
    check(lines and lines[-1].startswith("status "), f"the shell did not finish the pipeline: {out!r}")
    note(f"a pipeline of {PIPELINE_FITS} cats passed 3000 lines; one of {PIPELINE_EXHAUSTS}:"
         f" {len(lines) - 2} stage failures, all out of memory; the last line {lines[-2]!r}")
    shell_answers(vm)
    memory_returned(vm, before, "descriptor exhaustion and the pipe chains")


def file_nr(vm):
    out = vm.sh("cat /proc/sys/fs/file-nr")
    m = re.search(r"^(\d+)\t0\t(\d+)$", out, re.M)
    check(m is not None, f"/proc/sys/fs/file-nr printed {out!r}")
    return int(m.group(1)), int(m.group(2))


FLOOD_RE = (r"file_flood: (\d+) processes opened (\d+) files \(file-max (\d+), file-nr at the"
            r" full table (\d+), after (\d+), before (\d+)\): (\d+) refused with ENFILE, (\d+)"
            r" with EMFILE, 0 with another errno; MemFree fell (-?\d+) kB; root past the limit: yes")


def flood(vm, line, what):
    out, status = run_program(vm, line, 240 * SCALE)
    check(status == 0, f"{line} exited with {status}:\n{out}")
    m = re.search(FLOOD_RE, out)
    check(m is not None, f"no summary from {line}:\n{out}")
    procs, files, fmax, full, after, before, enfile, emfile, fell = map(int, m.groups())
    # At the full table the count is file-max, or one short (a pipe needs two
    # files); file_flood's own fopen of file-nr counts too (root may go past).
    check(fmax - 2 <= full <= fmax + 1, f"{what}: file-nr {full} at the full table, file-max {fmax}")
    check(after == before, f"{what}: file-nr {before} before, {after} after: files leaked")
    check(enfile > 0, f"{what}: no flooder met ENFILE")
    note(f"{what}: {procs} unprivileged processes held {files} files at file-max {fmax}"
         f" ({enfile} stopped by ENFILE, {emfile} by EMFILE); MemFree fell {fell} kB at the"
         f" full table")
    return fell


@test("robust.files")
def t_files(vm):
    """Unprivileged processes, each within RLIMIT_NOFILE, fill the
    system-wide file table: ENFILE stops them, at the default file-max
    before kernel memory is in danger and at a lowered one (root writes
    /proc/sys/fs/file-max); the count comes back, the shell answers, the
    memory returns."""
    before = meminfo_kb(vm)
    nr, fmax = file_nr(vm)
    check(fmax >= 8192, f"file-max {fmax}: below Linux's floor NR_FILE")
    fell = flood(vm, "/robust/file_flood", "at the default file-max")
    # The table full (and the flooders' own memory on top) must leave most
    # memory free: file-max is what keeps files from eating the kernel.
    check(fell < before["MemFree"] // 2,
          f"filling file-max's {fmax} files took {fell} kB of {before['MemFree']} kB free")
    flood(vm, "/robust/file_flood 500", "at a lowered file-max")
    check(file_nr(vm)[1] == fmax, "file_flood did not restore file-max")
    shell_answers(vm)
    memory_returned(vm, before, "the file table floods")


def oom_line(out, pid):
    return re.search(rf"Out of memory: Killed process {pid} \(mem_hog\) total-vm:\d+kB, rss:\d+kB",
                     out)


@test("robust.oom", mem="128M")
def t_oom(vm):
    """Touching more memory than there is ends in an OOM kill of the
    biggest process, alone or beside a bigger sleeper."""
    before = meminfo_kb(vm)
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
    memory_returned(vm, before, "mem_hog biggest")

    # oom_score_adj -1000: the bigger holder is exempt, the toucher dies.
    out, status = run_program(vm, "/robust/mem_hog exempt", 120 * SCALE)
    check(status == 0, f"mem_hog exempt exited with {status}:\n{out}")
    m = re.search(r"mem_hog: pid (\d+) holds \d+ MiB \(oom_score_adj -1000, oom_score (\d+)\),"
                  r" pid (\d+) touches", out)
    check(m is not None, f"no plan line from mem_hog exempt:\n{out}")
    check(m.group(2) == "0", f"an exempt process has oom_score {m.group(2)}")
    check(not oom_line(out, m.group(1)), f"the exempt holder (pid {m.group(1)}) was killed:\n{out}")
    check(oom_line(out, m.group(3)), f"the toucher (pid {m.group(3)}) was not the OOM victim:\n{out}")
    memory_returned(vm, before, "mem_hog exempt")

    # oom_score_adj 1000: the smaller holder goes first, the bigger lives.
    out, status = run_program(vm, "/robust/mem_hog preferred", 120 * SCALE)
    check(status == 0, f"mem_hog preferred exited with {status}:\n{out}")
    m = re.search(r"mem_hog: pid (\d+) holds \d+ MiB \(oom_score (\d+)\), pid (\d+) holds \d+ MiB"
                  r" \(oom_score_adj 1000, oom_score (\d+)\), pid (\d+) touches", out)
    check(m is not None, f"no plan line from mem_hog preferred:\n{out}")
    big, big_score, small, small_score, touch = m.groups()
    check(int(small_score) > int(big_score) and int(small_score) >= 1000,
          f"oom_score {small_score} (adj 1000, smaller) against {big_score} (adj 0, bigger)")
    check(oom_line(out, small), f"the adj-1000 holder (pid {small}) was not killed:\n{out}")
    check(not oom_line(out, big), f"the bigger holder (pid {big}) was killed:\n{out}")
    check(not oom_line(out, touch), f"the toucher (pid {touch}) was killed:\n{out}")
    note(f"oom_score: {big_score} for the bigger holder, {small_score} for the smaller with adj 1000")
    shell_answers(vm)
    memory_returned(vm, before, "mem_hog preferred")


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
