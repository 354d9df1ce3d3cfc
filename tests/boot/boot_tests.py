#!/usr/bin/python3
"""Rivet boot tests: boot the Image in QEMU virt, drive the monitor on the
serial console, and compare what the kernel reports with the device tree
(QEMU's, dumped with -machine dumpdtb, or the live one the firmware handed
over), never with hard-coded numbers.

    boot_tests.py --image build/Image --elf build/rivet.elf --workdir DIR TEST
    boot_tests.py --list

The tests (one ctest case each, see CMakeLists.txt):
  boot.mem.128M, boot.mem.1G   `mem` vs /memory, the live /reserved-memory, FDT, image
  boot.smp.1, boot.smp.4       `harts` vs the /cpus nodes with an mmu-type
  boot.timer                   `ticks` twice: increasing, 100 Hz vs uptime, timebase
  boot.console                 typed echo, line editing, `echo`, UART receive irqs
  boot.poweroff                `poweroff` ends QEMU with status 0
  boot.custom-dtb              dts/qemu-virt-64m.dts via -dtb: 64 MiB, its bootargs
  boot.panic-report            `crash`: cause, symbolized sepc, registers, backtrace
  boot.stack-guard             `overflow`: kernel stack overflow on the guard page
  boot.load-address            the Image wrapped in an ELF loaded at 0x80600000
  boot.sifive_u                QEMU sifive_u -smp 5 to the busybox shell (board_tests.py)
  boot.watchdog, boot.sifive_u.faults, boot.bad-dt.*   fault_tests.py

Each test works in its own fresh directory under --workdir (kept on failure,
removed on success), so tests can run in parallel (ctest -j).
"""

import os
import random
import re
import string
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rivet_qemu import (  # noqa: E402
    COMMAND_TIMEOUT, EXIT_TIMEOUT, SCALE, TOOL_TIMEOUT, Rivet, TestFailure, check,
    fdt_cells, fdt_memory, fdt_mem_rsvmap, fdt_mmu_cpus, fdt_reserved_memory,
    fdt_string, note, opensbi_field, parse_cmdline, parse_harts, parse_irqs, parse_mem,
    parse_test_args, parse_ticks, run_test, test_parser)

MiB = 1 << 20
KiB = 1 << 10
PANIC_END = "---[ end of kernel panic"
TESTS = {}


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


class Ctx:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self._syms = None

    def path(self, name):
        return os.path.join(self.tmp, name)

    def vm(self, **kw):
        return Rivet(self.args.image, **kw)

    def symbols(self):
        """{name: (address, size)} of the kernel's function symbols."""
        if self._syms is None:
            r = subprocess.run([self.args.nm, "-S", "--defined-only", self.args.elf],
                               capture_output=True, text=True, timeout=TOOL_TIMEOUT)
            check(r.returncode == 0, f"nm {self.args.elf}: {r.stderr}")
            self._syms = {}
            for line in r.stdout.splitlines():
                f = line.split()
                if len(f) == 4 and f[2] in "tTwW":
                    self._syms[f[3]] = (int(f[0], 16), int(f[1], 16))
        return self._syms


# ---- shared checks -------------------------------------------------------------

def hex_(v):
    return f"{v:#x}"


def ranges_(rs):
    """[(base, end, name?)] for messages, in hex."""
    return "[" + ", ".join(f"{r[0]:#x}-{r[1]:#x}" + (f" {r[2]}" if len(r) > 2 else "")
                           for r in rs) + "]"


def handover(log):
    """Cross-check what OpenSBI says it handed over with what the kernel says
    it received. Returns dict(hart, image, fdt)."""
    m = re.search(r"^boot: hart (\d+), image at (0x[0-9a-f]+) \((\d+) KiB\), "
                  r"device tree at (0x[0-9a-f]+)\s*$", log, re.M)
    check(m, "boot log has no 'boot: hart N, image at 0x.., device tree at 0x..' line")
    hart, image, fdt = int(m.group(1)), int(m.group(2), 16), int(m.group(4), 16)
    sbi_image = int(opensbi_field(log, "Domain0 Next Address"), 16)
    sbi_fdt = int(opensbi_field(log, "Domain0 Next Arg1"), 16)
    sbi_hart = int(opensbi_field(log, "Boot HART ID"))
    check(image == sbi_image, f"kernel says image at {hex_(image)}, OpenSBI jumped to "
          f"{hex_(sbi_image)}")
    check(fdt == sbi_fdt, f"kernel says device tree at {hex_(fdt)}, OpenSBI passed "
          f"{hex_(sbi_fdt)} in a1")
    check(hart == sbi_hart, f"kernel says boot hart {hart}, OpenSBI booted hart {sbi_hart}")
    return dict(hart=hart, image=image, image_kib=int(m.group(3)), fdt=fdt)


def image_size(path):
    """image_size from the Linux RISC-V Image header (includes the BSS)."""
    with open(path, "rb") as f:
        hdr = f.read(64)
    check(hdr[0x30:0x38] == b"RISCV\0\0\0", f"{path}: no RISC-V Image magic")
    return struct.unpack("<Q", hdr[16:24])[0]


def covered(ranges, base, end):
    """Is [base, end) inside one of ranges ([(base, end, ...)])?"""
    return any(r[0] <= base and end <= r[1] for r in ranges)


def union_within(ranges, banks):
    """Bytes of the union of ranges that lie inside banks."""
    pieces = []
    for b0, b1 in banks:
        for r in ranges:
            lo, hi = max(r[0], b0), min(r[1], b1)
            if lo < hi:
                pieces.append((lo, hi))
    pieces.sort()
    total, cur_lo, cur_hi = 0, None, None
    for lo, hi in pieces:
        if cur_hi is None or lo > cur_hi:
            if cur_hi is not None:
                total += cur_hi - cur_lo
            cur_lo, cur_hi = lo, hi
        else:
            cur_hi = max(cur_hi, hi)
    if cur_hi is not None:
        total += cur_hi - cur_lo
    return total


def check_memory(ctx, vm, log, dt_dumped, expect_total=None):
    """`mem` against the device trees: banks = /memory of the tree QEMU
    builds; reserved includes every /reserved-memory child and /memreserve/
    entry of the live tree (OpenSBI adds its own region at run time), the
    device tree itself and the kernel image; free memory is plausible."""
    h = handover(log)
    mem = parse_mem(vm.command("mem"))
    live = vm.read_live_fdt(h["fdt"], ctx.path("live.dtb"))
    live_size = os.path.getsize(live)

    dt_banks = [(b, b + s) for b, s, _ in fdt_memory(dt_dumped)]
    check(dt_banks, f"{dt_dumped} has no memory node")
    check(mem["banks"] == dt_banks,
          f"kernel banks {ranges_(mem['banks'])} != device tree /memory "
          f"{ranges_(dt_banks)}")
    live_banks = [(b, b + s) for b, s, _ in fdt_memory(live)]
    check(live_banks == dt_banks,
          f"live tree /memory {ranges_(live_banks)} != QEMU's {ranges_(dt_banks)}")
    total = sum(e - b for b, e in dt_banks)
    check(mem["total_mib"] * MiB == total,
          f"kernel total {mem['total_mib']} MiB != device tree {total / MiB} MiB")
    if expect_total is not None:
        check(total == expect_total, f"device tree describes {total / MiB} MiB, "
              f"expected {expect_total / MiB} MiB")
    for b, e in dt_banks:  # the boot log says the same (inclusive ends there)
        check(re.search(rf"^mem: bank\s+0x0*{b:x}-0x0*{e - 1:x}\s", log, re.M),
              f"boot log has no 'mem: bank' line for {hex_(b)}-{hex_(e - 1)}")

    resv = fdt_reserved_memory(live)
    note(f"live /reserved-memory: {[(hex_(b), hex_(s), n) for b, s, n in resv]}")
    check(resv, "the live device tree has no /reserved-memory region: OpenSBI adds one "
          "for itself, so the tree the kernel got is not the one the firmware handed over?")
    kres = [(b, e, n) for b, e, n in mem["reserved"]]
    for b, s, name in resv:
        check((b, b + s, name) in kres,
              f"/reserved-memory/{name} {hex_(b)}-{hex_(b + s)} is not in the kernel's "
              f"reserved list {ranges_(kres)}")
    for b, s in fdt_mem_rsvmap(live):
        check(covered(kres, b, b + s), f"/memreserve/ {hex_(b)}+{hex_(s)} not reserved")
    check(covered(kres, h["fdt"], h["fdt"] + live_size),
          f"the device tree {hex_(h['fdt'])}+{hex_(live_size)} is not reserved: "
          f"{ranges_(kres)}")
    isize = image_size(ctx.args.image)
    check(covered(kres, h["image"], h["image"] + isize),
          f"the kernel image {hex_(h['image'])}+{hex_(isize)} (with BSS) is not "
          f"reserved: {ranges_(kres)}")

    total_kib = total // KiB
    free_kib = mem["free_kib"]
    check(total_kib - 16 * 1024 < free_kib < total_kib,
          f"free {free_kib} KiB is implausible for {total_kib} KiB of RAM")
    # Firmware, device tree and image can never be free. (The "boot
    # allocations" range is left out: the kernel frees its unused tail.)
    fixed = [r for r in kres if r[2] != "boot allocations"]
    never_free = union_within(fixed, dt_banks)
    check(free_kib * KiB <= total - never_free,
          f"free {free_kib} KiB overlaps reserved memory: {total_kib} KiB total, "
          f"{never_free // KiB} KiB reserved")
    note(f"mem ok: {len(dt_banks)} bank(s), {total_kib} KiB, {free_kib} KiB free, "
         f"{len(kres)} reserved ranges")
    return h, mem


def check_harts(vm, log, dt, n_expected=None):
    """`harts` against the /cpus nodes with an mmu-type."""
    h = handover(log)
    dt_harts = fdt_mmu_cpus(dt)
    if n_expected is not None:
        check(len(dt_harts) == n_expected,
              f"QEMU's tree has {len(dt_harts)} MMU harts, expected {n_expected}")
    count, harts = parse_harts(vm.command("harts"))
    ids = sorted(x["id"] for x in harts)
    check(count == len(dt_harts), f"kernel reports {count} harts, device tree has "
          f"{len(dt_harts)} cpus with an mmu-type")
    check(len(harts) == count, f"'harts: {count}' followed by {len(harts)} hart lines")
    check(ids == dt_harts, f"kernel hart ids {ids} != device tree {dt_harts}")
    boot = [x for x in harts if x["boot"]]
    check(len(boot) == 1, f"{len(boot)} harts marked (boot), expected exactly one")
    check(boot[0]["id"] == h["hart"], f"'harts' says boot hart {boot[0]['id']}, boot log "
          f"and OpenSBI say {h['hart']}")
    check(boot[0]["state"] == "online", f"boot hart is {boot[0]['state']}")
    # SMP: every hart with an MMU was started and runs Rivet.
    parked = [x["id"] for x in harts if x["state"] != "online"]
    check(not parked, f"harts {parked} are not online")
    for x in harts:
        isa = fdt_string(dt, f"/cpus/cpu@{x['id']:x}", "riscv,isa", "")
        check(x["isa"] == isa, f"hart {x['id']}: isa {x['isa']} != device tree {isa}")
    m = re.search(r"^cpus: (\d+) harts with an MMU.*boot hart (\d+)", log, re.M)
    check(m and int(m.group(1)) == len(dt_harts) and int(m.group(2)) == h["hart"],
          f"boot log 'cpus:' line disagrees ({m.group(0) if m else 'missing'})")
    note(f"harts ok: {ids}, boot hart {h['hart']}")
    return harts


def panic_report(vm, command):
    """Type command, return the panic report (from its header to its end)."""
    vm.send(command + "\r")
    vm.expect(PANIC_END, COMMAND_TIMEOUT, "the end of the panic report")
    text = vm.proc.before.replace("\r", "")
    start = text.find("---[ kernel panic")
    check(start >= 0, f"no '---[ kernel panic' header before the end marker:\n{text}")
    return text[start:]


REG_NAMES = ["ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
             "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10",
             "s11", "t3", "t4", "t5", "t6"]


def check_symbolized(ctx, addr, name, off, size, where):
    syms = ctx.symbols()
    check(name in syms, f"{where}: {name} is not a kernel function symbol")
    base, ssize = syms[name]
    check(base + off == addr and (ssize == 0 or ssize == size),
          f"{where}: {hex_(addr)} printed as {name}+{hex_(off)}/{hex_(size)}, but {name} "
          f"is at {hex_(base)} size {hex_(ssize)}")


def parse_report(ctx, report):
    """Checks the parts every trap report has; returns dict."""
    m = re.search(r"^---\[ kernel panic on hart (\d+): (.*) \]---$", report, re.M)
    check(m, f"no panic header:\n{report}")
    why = m.group(2)
    m = re.search(r"^cause: (.*) \(scause (0x[0-9a-f]+)\)$", report, re.M)
    check(m, "no 'cause:' line")
    cause = m.group(1)
    m = re.search(r"^sepc:\s+(0x[0-9a-f]+) (\w+)\+(0x[0-9a-f]+)/(0x[0-9a-f]+)$", report, re.M)
    check(m, "no symbolized 'sepc:' line")
    sepc, sepc_sym = int(m.group(1), 16), m.group(2)
    check_symbolized(ctx, sepc, sepc_sym, int(m.group(3), 16), int(m.group(4), 16), "sepc")
    m = re.search(r"^stval: (0x[0-9a-f]+)", report, re.M)
    check(m, "no 'stval:' line")
    stval = int(m.group(1), 16)
    regs = dict((n, int(v, 16)) for n, v in re.findall(r"(\w+) (0x[0-9a-f]{16})", report))
    missing = [r for r in REG_NAMES if r not in regs]
    check(not missing, f"registers missing from the report: {missing}")
    bt_text = report.split("Backtrace:\n", 1)
    check(len(bt_text) == 2, "no 'Backtrace:' section")
    frames = []
    for line in bt_text[1].splitlines():
        fm = re.match(r"^\s+(0x[0-9a-f]+) (\w+)\+(0x[0-9a-f]+)/(0x[0-9a-f]+)$", line)
        if not fm:
            break
        addr, name, off, size = (int(fm.group(1), 16), fm.group(2), int(fm.group(3), 16),
                                 int(fm.group(4), 16))
        check_symbolized(ctx, addr, name, off, size, f"backtrace frame {len(frames)}")
        frames.append(name)
    check(frames, "the backtrace is empty")
    return dict(why=why, cause=cause, sepc=sepc, sepc_sym=sepc_sym, stval=stval,
                regs=regs, frames=frames)


def check_halted(vm):
    """After a panic the hart halts: no prompt comes back, QEMU keeps running."""
    vm.send("\r")
    try:
        vm.expect("rivet> ", 2 * SCALE)
    except TestFailure:
        check(vm.alive(), "QEMU exited after the panic (expected a halted hart)")
        return
    raise TestFailure("the monitor prompt came back after a panic")


# ---- the tests -------------------------------------------------------------

def check_cmdline(vm, log, dt):
    """`cmdline` and the boot log show /chosen/bootargs."""
    bootargs = fdt_string(dt, "/chosen", "bootargs", "")
    check(re.search(rf'^boot: command line "{re.escape(bootargs)}"$', log, re.M),
          f"boot log does not show the device tree's bootargs {bootargs!r}")
    cmd = parse_cmdline(vm.command("cmdline"))
    check(cmd == bootargs, f"cmdline {cmd!r} != device tree bootargs {bootargs!r}")
    note(f"cmdline ok: {cmd!r}")
    return bootargs


def mem_test(ctx, size):
    vm = ctx.vm(mem=size, append=f"rivet.test=mem-{size} quiet")  # -append: /chosen/bootargs
    dt = vm.dump_dtb(ctx.path("qemu.dtb"))
    with vm:
        log = vm.start()
        check_memory(ctx, vm, log, dt)
        check_cmdline(vm, log, dt)
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.mem.128M")
def t_mem_128m(ctx):
    mem_test(ctx, "128M")


@test("boot.mem.1G")
def t_mem_1g(ctx):
    mem_test(ctx, "1G")


def smp_test(ctx, n):
    vm = ctx.vm(smp=n)
    dt = vm.dump_dtb(ctx.path("qemu.dtb"))
    with vm:
        log = vm.start()
        check_harts(vm, log, dt, n)
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.smp.1")
def t_smp_1(ctx):
    smp_test(ctx, 1)


@test("boot.smp.4")
def t_smp_4(ctx):
    smp_test(ctx, 4)


@test("boot.timer")
def t_timer(ctx):
    vm = ctx.vm()
    dt = vm.dump_dtb(ctx.path("qemu.dtb"))
    dt_timebase = fdt_cells(dt, "/cpus", "timebase-frequency")[0]
    with vm:
        log = vm.start()
        w1 = time.monotonic()
        t1, hz1, up1, tb1 = parse_ticks(vm.command("ticks"))
        w2 = time.monotonic()
        time.sleep(1.5)
        w3 = time.monotonic()
        t2, hz2, up2, tb2 = parse_ticks(vm.command("ticks"))
        w4 = time.monotonic()
        note(f"ticks {t1} -> {t2}, uptime {up1} -> {up2} ms, wall pause "
             f"{(w3 - w2) * 1000:.0f}..{(w4 - w1) * 1000:.0f} ms")
        check(tb1 == dt_timebase and tb2 == dt_timebase,
              f"timebase {tb1} Hz != /cpus timebase-frequency {dt_timebase}")
        check(re.search(rf"^timer: timebase {dt_timebase} Hz, tick {hz1} Hz", log, re.M),
              "boot log 'timer:' line disagrees with the device tree")
        check(hz1 == hz2 == 100, f"tick rate {hz1}/{hz2} Hz, expected 100")
        check(t2 > t1, f"ticks did not increase: {t1} -> {t2}")
        check(up2 > up1, f"uptime did not increase: {up1} -> {up2} ms")
        check(t1 * 1000 // hz1 <= up1 + 10,
              f"{t1} ticks at {hz1} Hz is more than the uptime {up1} ms")
        d_up, d_tick_ms = up2 - up1, (t2 - t1) * 1000 / hz1
        check(abs(d_tick_ms - d_up) <= max(50, 0.2 * d_up),
              f"{t2 - t1} ticks ({d_tick_ms:.0f} ms) in {d_up} ms of uptime")
        # Without -icount, guest time follows the host clock.
        check((w3 - w2) * 1000 * 0.5 <= d_up <= (w4 - w1) * 1000 + 500,
              f"{d_up} ms of uptime in a {(w3 - w2) * 1000:.0f} ms pause")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.console")
def t_console(ctx):
    vm = ctx.vm()
    dt = vm.dump_dtb(ctx.path("qemu.dtb"))
    uart = fdt_string(dt, "/chosen", "stdout-path").split(":")[0]
    uart_irq = fdt_cells(dt, uart, "interrupts")[0]
    rng = random.SystemRandom()
    token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(16))
    token2 = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(24))
    with vm:
        vm.start()
        irqs1 = parse_irqs(vm.command("irqs"))
        check(uart_irq in irqs1, f"'irqs' has no line for the UART's irq {uart_irq} ({uart})")
        check(irqs1[uart_irq]["enabled"], f"irq {uart_irq} is not enabled")
        check(uart in irqs1[uart_irq]["owner"],
              f"irq {uart_irq} owner {irqs1[uart_irq]['owner']!r} does not name {uart}")
        # `typed` counts the characters sent one at a time, each after the
        # echo of the previous one: every one of them needs its own receive
        # interrupt (a whole line at once may be drained from the FIFO by one).
        typed = 0

        # One character at a time, each echoed, then the command's output.
        line = f"echo {token}"
        vm.type_slowly(line)
        vm.send("\r")
        typed += len(line) + 1
        vm.expect(f"\n{token}", COMMAND_TIMEOUT, "the echo command's output")
        vm.expect("rivet> ")

        # Line editing: backspace (DEL) and ^U.
        vm.type_slowly("echo abcX")
        vm.send("\x7f")
        vm.expect("\b \b")
        vm.type_slowly("d")
        typed += 11
        out = vm.command("")  # just Enter: runs the line typed so far
        typed += 1
        check(out == "abcd", f"after backspace: {out!r}, expected 'abcd'")
        vm.type_slowly("garbage")
        vm.send("\x15")
        vm.expect("\b \b" * 7)
        typed += 8

        # A whole line at once.
        out = vm.command(f"echo {token2}")
        check(out == token2, f"echo round trip: sent {token2!r}, got {out!r}")

        irqs2 = parse_irqs(vm.command("irqs"))
        delta = irqs2[uart_irq]["count"] - irqs1[uart_irq]["count"]
        note(f"uart irq {uart_irq}: {irqs1[uart_irq]['count']} -> "
             f"{irqs2[uart_irq]['count']} (+{delta}) for {typed} characters typed one "
             f"at a time (and {len(token2) + 11} more in whole lines)")
        check(delta >= typed, f"irq {uart_irq} counted {delta} interrupts for {typed} "
              f"characters typed one at a time: input did not come through the receive "
              f"interrupt")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.poweroff")
def t_poweroff(ctx):
    with ctx.vm() as vm:
        vm.start()
        t0 = time.monotonic()
        status = vm.poweroff(EXIT_TIMEOUT)
        note(f"QEMU exited with status {status} {time.monotonic() - t0:.2f} s after "
             f"'poweroff'")
        check(status == 0, f"QEMU exit status {status} after poweroff, expected 0")


@test("boot.custom-dtb")
def t_custom_dtb(ctx):
    dtb = ctx.args.custom_dtb
    check(dtb and os.path.exists(dtb), f"custom device tree {dtb} not built")
    qemu_ram = 256 * MiB
    vm = ctx.vm(mem="256M", smp=2, dtb=dtb)
    dt = vm.dump_dtb(ctx.path("qemu.dtb"))  # with -dtb: the tree QEMU hands over
    dt_total = sum(s for _, s, _ in fdt_memory(dt))
    check(dt_total != qemu_ram, "the custom tree should describe less RAM than -m 256M")
    bootargs = fdt_string(dt, "/chosen", "bootargs")
    check("rivet.test=custom-dtb" in bootargs,
          f"/chosen bootargs {bootargs!r} is not the one from dts/qemu-virt-64m.dts")
    with vm:
        log = vm.start()
        check(check_cmdline(vm, log, dt) == bootargs, "bootargs changed")
        check_memory(ctx, vm, log, dt, expect_total=dt_total)
        check_harts(vm, log, dt, 2)
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.panic-report")
def t_panic_report(ctx):
    with ctx.vm() as vm:
        vm.start()
        rep = parse_report(ctx, panic_report(vm, "crash"))
        note(f"report: {rep['why']}; {rep['cause']}; frames {rep['frames']}")
        check("page fault" in rep["cause"] and "store" in rep["cause"],
              f"cause {rep['cause']!r}, expected a store page fault")
        check(rep["stval"] == 0, f"stval {hex_(rep['stval'])}, expected the NULL address")
        check(rep["sepc_sym"] == "monitor_crash_null",
              f"sepc in {rep['sepc_sym']}, expected monitor_crash_null")
        fr = rep["frames"]
        check(fr[0] == "monitor_crash_null", f"backtrace starts at {fr[0]}")
        check(len(fr) >= 2 and fr[1] in ("cmd_crash", "monitor_run"),
              f"monitor_crash_null's caller is {fr[1:2]}, expected the monitor")
        check("monitor_run" in fr, f"backtrace {fr} does not reach monitor_run")
        check_halted(vm)


@test("boot.stack-guard")
def t_stack_guard(ctx):
    with ctx.vm() as vm:
        vm.start()
        rep = parse_report(ctx, panic_report(vm, "overflow"))
        note(f"report: {rep['why']}; {rep['cause']}; stval {hex_(rep['stval'])}; "
             f"sp {hex_(rep['regs']['sp'])}; {len(rep['frames'])} frames")
        check("kernel stack overflow" in rep["why"],
              f"panic reason {rep['why']!r} does not say kernel stack overflow")
        check("page fault" in rep["cause"], f"cause {rep['cause']!r}, expected a page fault")
        # The faulting access is in the guard page the stack pointer ran into.
        check(rep["stval"] >> 12 == rep["regs"]["sp"] >> 12 or
              abs(rep["stval"] - rep["regs"]["sp"]) < 4096,
              f"stval {hex_(rep['stval'])} is not next to sp {hex_(rep['regs']['sp'])}")
        check("monitor_recurse" in rep["frames"],
              f"backtrace {rep['frames']} does not show the recursion")
        check_halted(vm)


CAPTEST_REFUSED = re.compile(r"^captest: refused: (.+) \((E[A-Z]+)\)$", re.M)
CAPTEST_SUMMARY = re.compile(r"^captest: (\d+) of (\d+) misuses refused; device (\w+)$", re.M)
# The frame's own line for each refusal names the handle and the reason.
CAP_REFUSED = re.compile(r"^cap: refused (?:stale or forged (\w+) handle (0x[0-9a-f]{16})|"
                         r"(.+) \(0x[0-9a-f]+\) on (\w+) handle (0x[0-9a-f]{16}) \(slot \d+\) "
                         r"held by (.+))$", re.M)


@test("boot.captest")
def t_captest(ctx):
    """rivet.captest=1: drivers/captest misuses its fw-cfg handles; each
    misuse is refused and logged by the frame, the device sees none of
    them, the ledger keeps nothing of the service, and the boot goes on."""
    with ctx.vm(append="rivet.captest=1") as vm:
        log = vm.start()
        refused = CAPTEST_REFUSED.findall(log)
        summary = CAPTEST_SUMMARY.search(log)
        check(summary, "no 'captest: N of N misuses refused' line: did the service run?")
        n_ok, n_all, device = int(summary[1]), int(summary[2]), summary[3]
        note(f"captest: {n_ok} of {n_all} refused, device {device}")
        check("NOT REFUSED" not in log,
              "a misuse was not refused:\n" + "\n".join(
                  ln for ln in log.splitlines() if "NOT REFUSED" in ln))
        check(n_ok == n_all and len(refused) == n_all and n_all >= 20,
              f"{len(refused)} refusal lines, summary {n_ok}/{n_all}")
        check(device == "untouched", "a refused access reached the device")
        frame_lines = CAP_REFUSED.findall(log)
        check(len(frame_lines) == n_all,
              f"{len(frame_lines)} 'cap: refused' lines from the frame for {n_all} misuses")
        for kind, raw, reason, kind2, raw2, holder in frame_lines:
            if reason:
                check(holder.startswith("captest "),
                      f"refusal of {reason!r} charged to {holder}")
        errnos = {e for _, e in refused}
        check({"ERANGE", "EACCES", "EINVAL", "ESTALE"} <= errnos,
              f"refusals gave only {sorted(errnos)}")
        ledger = vm.command("caps")
        check(not re.search(r"\bcaptest$", ledger, re.M),
              f"the ledger still lists captest's handles:\n{ledger}")
        check(re.search(rf"^ledger: {n_all} refused uses since boot$", ledger, re.M),
              f"the ledger does not count exactly the {n_all} refusals:\n{ledger}")
        echo = vm.command("echo still here")
        check(echo == "still here", f"the monitor after captest: {echo!r}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")
    with ctx.vm() as vm:  # without the option the service stays out of the way
        log = vm.start()
        check("captest" not in log, "captest ran without rivet.captest=1")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.load-address")
def t_load_address(ctx):
    a = ctx.args
    load = 0x80600000
    size = os.path.getsize(a.image)
    obj, elf = ctx.path("Image.o"), ctx.path(f"Image-{load:#x}.elf")
    # The raw Image as one loadable section of an ELF executable at `load`;
    # -n keeps the ELF headers out of the segment, so it starts exactly there
    # (QEMU 7.2 hands fw_dynamic the lowest loaded address as the entry).
    for cmd in ([a.objcopy, "-I", "binary", "-O", "elf64-littleriscv", "-B", "riscv",
                 "--rename-section", ".data=.kernel,alloc,load,contents,code", a.image, obj],
                [a.ld, "-m", "elf64lriscv", "-n", f"--section-start=.kernel={load:#x}",
                 "-e", hex_(load), "-z", "noexecstack", "-o", elf, obj]):
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TOOL_TIMEOUT)
        check(r.returncode == 0, f"{' '.join(cmd)}: {r.stderr}")
    r = subprocess.run([a.readelf, "-hlW", elf], capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    check(r.returncode == 0, f"readelf {elf}: {r.stderr}")
    loads = re.findall(r"^\s*LOAD\s+(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) "
                       r"(0x[0-9a-f]+) (0x[0-9a-f]+)", r.stdout, re.M)
    check(len(loads) == 1, f"expected one PT_LOAD in {elf}:\n{r.stdout}")
    _, vaddr, paddr, filesz, _ = (int(x, 16) for x in loads[0])
    check(vaddr == paddr == load and filesz == size,
          f"PT_LOAD at {hex_(paddr)} size {hex_(filesz)}, expected {hex_(load)} size "
          f"{hex_(size)}:\n{r.stdout}")
    m = re.search(r"Entry point address:\s+(0x[0-9a-f]+)", r.stdout)
    check(m and int(m.group(1), 16) == load, f"entry point {m and m.group(1)}")

    vm = Rivet(elf)
    with vm:
        log = vm.start()
        h = handover(log)
        check(h["image"] == load, f"kernel says image at {hex_(h['image'])}, loaded at "
              f"{hex_(load)}")
        check(re.search(rf"^boot: .*image at {load:#x} ", log, re.M),
              f"boot log does not say 'image at {load:#x}'")
        mem = parse_mem(vm.command("mem"))
        kimg = [r for r in mem["reserved"] if r[2] == "kernel image"]
        check(kimg and kimg[0][0] == load, f"'kernel image' reserved at "
              f"{kimg and hex_(kimg[0][0])}, expected {hex_(load)}")
        check(not covered(mem["reserved"], 0x80200000, 0x80201000),
              "0x80200000 (the usual load address) is reserved although the image is "
              "elsewhere")
        out = vm.command("echo position independent")
        check(out == "position independent", f"echo: {out!r}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


# The device-service tests (virtio, RTC, power) live in device_tests.py.
import device_tests  # noqa: E402
TESTS.update(device_tests.TESTS)
# Other boards than virt (sifive_u) live in board_tests.py.
import board_tests  # noqa: E402
TESTS.update(board_tests.TESTS)
# The watchdog and the reports of faults on other boards: fault_tests.py.
import fault_tests  # noqa: E402
TESTS.update(fault_tests.TESTS)


# ---- driver -----------------------------------------------------------------------

def main():
    p = test_parser(__doc__)
    p.add_argument("--elf", help="the kernel ELF (for symbol checks)")
    p.add_argument("--custom-dtb", help="the compiled dts/qemu-virt-64m.dts")
    p.add_argument("--initrd", help="the busybox initramfs (board tests boot to its shell)")
    p.add_argument("--nm", default="riscv64-linux-gnu-nm")
    p.add_argument("--objcopy", default="riscv64-linux-gnu-objcopy")
    p.add_argument("--ld", default="riscv64-linux-gnu-ld")
    p.add_argument("--readelf", default="riscv64-linux-gnu-readelf")
    args = parse_test_args(p, TESTS)
    check(os.path.exists(args.image), f"{args.image} does not exist: build the rivet target")
    return run_test(TESTS, args.test, args.workdir, args.budget, lambda tmp: Ctx(args, tmp))


if __name__ == "__main__":
    sys.exit(main())
