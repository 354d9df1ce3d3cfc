#!/usr/bin/env python3
"""Where a kernel's instructions go: a flat profile from QEMU's exec log.

    tb_profile.py EXEC_LOG KERNEL_ELF [N]

EXEC_LOG is what `-d exec,nochain` wrote (bench/profile.sh turns it on for
a moment through the monitor, once the workload runs). Each line is one
translation block executed; its length is counted from the ELF's code (up
to the first jump, branch or CSR access, where QEMU ends a block without
chaining), so the figures are instructions, approximately, per function.
User-mode blocks are counted apart. Prints the top N functions (40).
"""
import bisect
import collections
import re
import subprocess
import sys

CONTROL = re.compile(r"^(j|jal|jr|jalr|ret|b\w*|c\.j\w*|c\.b\w*|sret|ecall|wfi|csr\w*|"
                     r"fence\w*|sfence\.vma|tail|call)$")


def code(elf):
    out = subprocess.run(["riscv64-linux-gnu-objdump", "-d", "--no-show-raw-insn", elf],
                         capture_output=True, text=True, check=True).stdout
    insns = {}
    for line in out.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)", line)
        if m:
            insns[int(m.group(1), 16)] = m.group(2)
    return insns, sorted(insns)


def symbols(elf):
    out = subprocess.run(["riscv64-linux-gnu-nm", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    return [(int(p[0], 16), p[2]) for p in (l.split() for l in out.splitlines())
            if len(p) == 3 and p[1] in "tTwW"]


def main():
    log, elf = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    blocks = collections.Counter()
    for line in open(log, errors="replace"):
        m = re.match(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/", line)
        if m:
            blocks[int(m.group(1), 16)] += 1
    insns, order = code(elf)
    syms = symbols(elf)

    def length(pc):
        i, n = bisect.bisect_left(order, pc), 0
        while i < len(order) and n < 512:
            n += 1
            if CONTROL.match(insns[order[i]]):
                break
            i += 1
        return n

    per, user, total = collections.Counter(), 0, 0
    for pc, count in blocks.items():
        if pc < 1 << 63:
            user += count
            continue
        i = bisect.bisect_right(syms, (pc, "\xff")) - 1
        n = length(pc) * count
        per[syms[i][1] if i >= 0 else hex(pc)] += n
        total += n
    print(f"kernel: about {total} instructions; user: {user} blocks")
    for name, n in per.most_common(top):
        print(f"{n:10d} {100 * n / max(total, 1):5.1f}%  {name}")


if __name__ == "__main__":
    main()
