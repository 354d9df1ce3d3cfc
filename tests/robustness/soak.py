#!/usr/bin/python3
"""Soak: boot Rivet once with the robustness image and run the guest test
programs and busybox workloads in a loop for a given time; report free
memory at the start and the end of every round. Not part of CI.

    tests/robustness/soak.py --kernel build/Image --initrd build/robustness/robust.cpio \\
        --minutes 60 [--mem 256M] [--fuzz-calls 5000] [--fuzz-only]

(scripts/soak.sh runs this with the build's paths.) Each round runs every
/guest/test_* program from the shell, a few busybox workloads (a tar round
trip, find, sort, a shell loop, a pipeline of many stages) and a short run
of the syscall fuzzer, then reads MemFree. The soak fails if the kernel
stops answering, if a program that passed in the first round fails later
(a program that fails from a shell already in round one, for example one
that expects to be init, is reported and left out), or if MemFree at the
end is more than --tolerance-kb below the first round's (see
robustness_tests.py for why a little slack is honest). --fuzz-only makes
every round a fuzzer run of --fuzz-calls calls with a fresh seed: the long
fuzzer run.
"""

import argparse
import os
import re
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "console"))
from busybox_console import Console, TestFailure, check, note  # noqa: E402
from robustness_tests import MEM_TOLERANCE_KB, mem_free_kb, settle  # noqa: E402

# One round of busybox workloads: /robust/soak-work.sh (in the image).
WORKLOADS = ["/robust/soak-work.sh"]


def run(vm, line, timeout):
    out = vm.sh(line, timeout)
    return out, vm.last_status()


def guest_programs(vm):
    return sorted(n for n in vm.sh("ls /guest").split() if n.startswith("test_"))


def round_once(vm, programs, fuzz_calls, first, skipped, fuzz_only):
    failures = []
    for name in [] if fuzz_only else programs:
        if name in skipped:
            continue
        out, status = run(vm, f"/robust/run-guest.sh {name}", 300)
        ok = f"{name}: status 0:" in out and re.search(r"\d+ passed, 0 failed", out)
        if not ok and first:
            skipped[name] = out.strip().splitlines()[-1] if out.strip() else "no output"
        elif not ok:
            failures.append(f"{name}: {out}")
    for line in [] if fuzz_only else WORKLOADS:
        out, status = run(vm, line, 300)
        if status != 0 or "soak-work: ok" not in out:
            failures.append(f"{line!r} exited with {status}: {out}")
    if fuzz_calls:
        out, status = run(vm, f"/robust/fuzz_syscalls --calls {fuzz_calls}", 600)
        if status != 0 or "batches of" not in out:
            failures.append(f"fuzzer exited with {status}: {out}")
        m = re.search(r"fuzz: seed (\d+):", out)
        if m:
            note(f"fuzzer seed {m.group(1)}")
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd", required=True)
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--mem", default="256M")
    ap.add_argument("--fuzz-calls", type=int, default=5000)
    ap.add_argument("--fuzz-only", action="store_true",
                    help="rounds of the syscall fuzzer alone (--fuzz-calls each, a fresh seed)")
    ap.add_argument("--tolerance-kb", type=int, default=MEM_TOLERANCE_KB)
    args = ap.parse_args()
    deadline = time.monotonic() + args.minutes * 60
    try:
        with Console(args.kernel, args.initrd, mem=args.mem) as vm:
            vm.start()
            programs = guest_programs(vm)
            check(programs, "no guest programs in /guest")
            skipped, rounds, first_free = {}, 0, None
            start_free = mem_free_kb(vm)
            while True:
                failures = round_once(vm, programs, args.fuzz_calls, rounds == 0, skipped,
                                      args.fuzz_only)
                rounds += 1
                settle(vm)
                free = mem_free_kb(vm)
                if first_free is None:
                    first_free = free
                    for name, why in skipped.items():
                        note(f"left out (fails from a shell in round 1): {name}: {why}")
                note(f"soak round {rounds}: MemFree {free} kB "
                     f"(boot {start_free} kB, after round 1 {first_free} kB)")
                check(not failures, f"round {rounds}:\n" + "\n".join(failures))
                if time.monotonic() >= deadline:
                    break
            lost = first_free - free
            print(f"soak: {rounds} rounds in {args.minutes:g} min, "
                  f"{len(programs) - len(skipped)} guest programs + {len(WORKLOADS)} workloads"
                  f" + {args.fuzz_calls} fuzzed calls a round; MemFree at boot {start_free} kB, "
                  f"after round 1 {first_free} kB, at the end {free} kB ({lost} kB lost)")
            check(lost <= args.tolerance_kb,
                  f"{lost} kB of MemFree lost between round 1 and the end "
                  f"(tolerance {args.tolerance_kb} kB)")
            vm.expect_output("echo still-alive", "still-alive")
            check(vm.poweroff() == 0, "poweroff did not end QEMU with status 0")
    except TestFailure as e:
        print(f"soak FAILED: {e}")
        return 1
    print("soak PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
