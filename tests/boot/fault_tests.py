"""Boot tests of what the console shows when things go wrong: a hart stuck
in the kernel (the soft-lockup watchdog), on QEMU virt and sifive_u, and a
panic on sifive_u (which hart, which cause).

  boot.watchdog         `hang 1` under the 2 s threshold: no report; `hang 5`:
                        one report (hart, task, symbolized pc, backtrace
                        through monitor_hang), then the monitor carries on;
                        an idle hart is never reported
  boot.sifive_u.faults  the same watchdog report and a panic report on
                        sifive_u -smp 5 (4 harts with an MMU), each naming
                        the hart the command ran on (never 0 there); a spin
                        with interrupts masked (`hangmasked 4`) is named as
                        a hard lockup by another hart, once
  boot.bad-dt.*         the device tree the kernel gets is spoiled at its
                        entry (QEMU's gdbstub, gdbstub.py): a garbage header,
                        an a1 naming no memory, no /memory, no /cpus: one clear
                        line on the SBI console and a halt, never a silent
                        hang; no console node: a warning, then the monitor
                        runs on the SBI console
"""

import os
import re
import struct
import subprocess
import time

from gdbstub import GdbStub, free_port
from rivet_qemu import FDTGET, PROMPT, TOOL_TIMEOUT, Rivet, TestFailure, check, note, opensbi_field

KERNEL_ENTRY = 0x80200000  # DRAM base + the Image's text_offset on virt and sifive_u
REG_A1 = 11
FDTPUT = os.path.join(os.path.dirname(FDTGET), "fdtput") if os.sep in FDTGET else "fdtput"

TESTS = {}
WATCHDOG_END = "---[ end of watchdog report"
PANIC_END = "---[ end of kernel panic"


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


def symbolized_frames(ctx, text):
    """Names in the 'Backtrace:' section, each checked against nm."""
    syms = ctx.symbols()
    part = text.split("Backtrace:\n", 1)
    check(len(part) == 2, f"no 'Backtrace:' section:\n{text}")
    names = []
    for line in part[1].splitlines():
        m = re.match(r"^\s+(0x[0-9a-f]+) (\w+)\+(0x[0-9a-f]+)/(0x[0-9a-f]+)$", line)
        if not m:
            break
        addr, name, off = int(m.group(1), 16), m.group(2), int(m.group(3), 16)
        check(name in syms and syms[name][0] + off == addr,
              f"backtrace frame {addr:#x} printed as {name}+{off:#x}, nm disagrees")
        names.append(name)
    check(names, "the backtrace is empty")
    return names


def watchdog_report(ctx, vm, seconds):
    """Runs `hang seconds`; returns (hart, task, frames) of the one report,
    after the monitor prompt came back."""
    vm.send(f"hang {seconds}\r")
    vm.expect(WATCHDOG_END, 30 + seconds, "the watchdog report")
    text = vm.proc.before.replace("\r", "")
    vm.expect(PROMPT, 30 + seconds, "the prompt after the hang")
    after = vm.proc.before.replace("\r", "")
    check("hang: done" in after and "watchdog:" not in after,
          f"after the report: {after!r} (expected one report, then 'hang: done')")
    m = re.search(r'---\[ watchdog: soft lockup on hart (\d+): task "([^"]*)" has run in '
                  r"the kernel for (\d+) s", text)
    check(m, f"no watchdog header:\n{text}")
    check(int(m.group(3)) >= 2, f"reported after {m.group(3)} s, threshold 2 s")
    check(re.search(r"^sepc:\s+0x[0-9a-f]+ \w+\+0x[0-9a-f]+/0x[0-9a-f]+$", text, re.M),
          "the report has no symbolized sepc")
    check(re.search(r"^\s+ra 0x[0-9a-f]{16}\s+sp 0x[0-9a-f]{16}", text, re.M),
          "the report has no registers")
    frames = symbolized_frames(ctx, text)
    check("monitor_hang" in frames and "monitor_run" in frames,
          f"backtrace {frames} does not go through monitor_hang to monitor_run")
    spin = re.search(r"^hang: spinning in the kernel for \d+ s on hart (\d+)$", text, re.M)
    check(spin, f"the hang command did not say which hart it spins on:\n{text}")
    check(int(m.group(1)) == int(spin.group(1)),
          f"the report names hart {m.group(1)}, the spin ran on hart {spin.group(1)}")
    return int(m.group(1)), m.group(2), frames


def hard_lockup_report(vm, seconds):
    """Runs `hangmasked seconds` (interrupts masked, so the spinning hart
    takes no tick); returns (spinning hart, hart that saw it). Another hart
    must name the spinner silent, once; the spinner's own soft-lockup
    report when its interrupts come back is the same stall and allowed."""
    vm.send(f"hangmasked {seconds}\r")
    vm.expect("hangmasked: spinning", 30, "the start of the masked spin")
    # A key now raises the console IRQ on every hart; each takes it and
    # waits for the BKL the spinner holds, interrupts masked, so no hart
    # ticks and only the BKL waiters can see the spinner fall silent.
    vm.send("\r")
    vm.expect("hangmasked: done", 30 + seconds, "the end of the masked spin")
    text = "hangmasked: spinning" + vm.proc.before.replace("\r", "")
    vm.expect(PROMPT, 30, "the prompt after the masked spin")
    vm.expect(PROMPT, 30, "the prompt for the empty line typed meanwhile")
    after = vm.proc.before.replace("\r", "")
    check("watchdog:" not in after, f"a report after the spin ended: {after!r}")
    spin = re.search(r"^hangmasked: spinning with interrupts masked for \d+ s on hart (\d+)$",
                     text, re.M)
    check(spin, f"the command did not say which hart it spins on:\n{text}")
    hard = re.findall(r"---\[ watchdog: hard lockup\? hart (\d+) has taken no timer interrupt "
                      r"for (\d+) s \(busy when last seen\): spinning with interrupts off, "
                      r"seen from hart (\d+) \]---", text)
    check(len(hard) == 1, f"expected one hard-lockup line, got {hard}:\n{text}")
    silent, secs, seen_from = (int(x) for x in hard[0])
    check(silent == int(spin.group(1)),
          f"the hard-lockup line names hart {silent}, the spin ran on hart {spin.group(1)}")
    check(seen_from != silent and secs >= 2, f"hard-lockup line {hard[0]}")
    soft = re.findall(r"watchdog: soft lockup on hart (\d+)", text)
    check(all(int(h) == silent for h in soft), f"soft-lockup reports for other harts: {soft}")
    return silent, seen_from


@test("boot.watchdog")
def t_watchdog(ctx):
    with Rivet(ctx.args.image, append="rivet.watchdog=2") as vm:
        log = vm.start()
        check(re.search(r"^watchdog: soft-lockup threshold 2 s$", log, re.M),
              "the boot log does not show the 2 s threshold from rivet.watchdog=2")
        out = vm.command("hang 1")
        check("watchdog" not in out, f"a 1 s spin under a 2 s threshold was reported:\n{out}")
        hart, task, frames = watchdog_report(ctx, vm, 5)
        boot_hart = int(opensbi_field(log, "Boot HART ID"))
        check(hart == boot_hart, f"report names hart {hart}, the boot hart is {boot_hart}")
        check(task == "boot", f"report names task {task!r}, the monitor runs in 'boot'")
        time.sleep(3)  # idle at the prompt, past the threshold
        out = vm.command("echo alive")
        check(out == "alive", f"after an idle wait: {out!r} (an idle hart was reported?)")
        note(f"watchdog ok: hart {hart}, task {task}, frames {frames}")


@test("boot.sifive_u.faults")
def t_sifive_u_faults(ctx):
    with Rivet(ctx.args.image, machine="sifive_u", smp=5, mem="256M",
               append="rivet.watchdog=2") as vm:
        log = vm.start()
        check(re.search(r"^smp: 4 of 4 harts online$", log, re.M),
              "not all 4 harts with an MMU came online")
        # The monitor's task runs on whichever of harts 1-4 woke it (SMP);
        # each fault report must name the hart the command said it ran on.
        hart, _, _ = watchdog_report(ctx, vm, 3)
        check(1 <= hart <= 4, f"watchdog names hart {hart}: the MMU harts are 1-4")
        silent, seen_from = hard_lockup_report(vm, 4)
        vm.send("crash\r")
        vm.expect(PANIC_END, 30, "the end of the panic report")
        text = vm.proc.before.replace("\r", "")
        on = re.search(r"^crash: on hart (\d+)$", text, re.M)
        check(on, f"the crash command did not say which hart it runs on:\n{text}")
        m = re.search(r"^---\[ kernel panic on hart (\d+): (.*) \]---$", text, re.M)
        check(m and int(m.group(1)) == int(on.group(1)),
              f"panic header {m and m.group(0)!r}, expected hart {on.group(1)}")
        check(re.search(r"^cause: store page fault", text, re.M), "cause is not a store fault")
        check(re.search(r"^task: boot$", text, re.M), "the panic report does not name task 'boot'")
        frames = symbolized_frames(ctx, text)
        check(frames[0] == "monitor_crash_null", f"backtrace starts at {frames[0]}")
        note(f"sifive_u faults ok: watchdog on hart {hart}, hard lockup of hart {silent} seen from "
             f"hart {seen_from}, panic on hart {on.group(1)}, frames {frames}")


# ---- bad device trees ---------------------------------------------------------------

def boot_with_spoiled_dt(ctx, spoil, **kw):
    """Starts QEMU stopped, runs to the kernel entry, lets spoil(stub, tid,
    a1) change the hand-over, and resumes; returns the running vm."""
    port = free_port()
    vm = Rivet(ctx.args.image, extra=["-S", "-gdb", f"tcp:127.0.0.1:{port}"], **kw)
    vm.spawn()
    stub = GdbStub(port)
    tid = stub.run_to(KERNEL_ENTRY)
    spoil(stub, tid, stub.reg(tid, REG_A1))
    stub.detach()
    return vm


def without_node(ctx, node):
    """A spoil step: the live tree with node removed (fdtput -r), in place."""
    def spoil(stub, tid, a1):
        magic, size = struct.unpack(">II", stub.read_mem(a1, 8))
        check(magic == 0xD00DFEED, f"no device tree at a1 = {a1:#x}")
        path = ctx.path("spoiled.dtb")
        with open(path, "wb") as f:
            f.write(stub.read_mem(a1, size))
        r = subprocess.run([FDTPUT, "-r", path, node], capture_output=True, text=True,
                           timeout=TOOL_TIMEOUT)
        check(r.returncode == 0, f"fdtput -r {node}: {r.stderr}")
        with open(path, "rb") as f:
            stub.write_mem(a1, f.read())
        note(f"removed {node} from the device tree at {a1:#x}")
    return spoil


def expect_stop(vm, want):
    """The kernel prints want, then says it halted, and stays halted."""
    vm.expect(want, 30, f"{want!r} on the console", exact=False)
    vm.expect(r"(end of kernel panic: system halted|rivet: cannot boot; halted)", 30,
              "the halt message", exact=False)
    try:
        vm.expect(PROMPT, 2)
    except TestFailure:
        check(vm.alive(), "QEMU exited instead of halting")
        return
    raise TestFailure("a prompt came after the halt")



@test("boot.bad-dt.header")
def t_bad_dt_header(ctx):
    with boot_with_spoiled_dt(ctx, lambda s, t, a1: s.write_mem(a1, b"\x12\x34\x56\x78")) as vm:
        expect_stop(vm, r"device tree at 0x[0-9a-f]+: no valid header")


@test("boot.bad-dt.unmapped")
def t_bad_dt_unmapped(ctx):
    nowhere = 0x100000000  # above QEMU virt's 128 MiB of RAM, below its PCIe window
    with boot_with_spoiled_dt(ctx, lambda s, t, a1: s.set_reg(t, REG_A1, nowhere)) as vm:
        expect_stop(vm, rf"rivet: trap before paging: scause 0x0+5 .* stval 0x0*{nowhere:x}")


@test("boot.bad-dt.no-memory")
def t_bad_dt_no_memory(ctx):
    with boot_with_spoiled_dt(ctx, without_node(ctx, "/memory@80000000")) as vm:
        expect_stop(vm, r"device tree at 0x[0-9a-f]+ is unusable: no /memory node")


@test("boot.bad-dt.no-cpus")
def t_bad_dt_no_cpus(ctx):
    with boot_with_spoiled_dt(ctx, without_node(ctx, "/cpus")) as vm:
        expect_stop(vm, r"device tree at 0x[0-9a-f]+ is unusable: no /cpus node")


@test("boot.bad-dt.no-console")
def t_bad_dt_no_console(ctx):
    with boot_with_spoiled_dt(ctx, without_node(ctx, "/soc/serial@10000000")) as vm:
        vm.expect(r'console: no driver took stdout-path "/soc/serial@10000000"', 60,
                  "the no-console warning", exact=False)
        vm.expect(PROMPT, 60, "the monitor prompt on the SBI console")
        check("console: output now through" not in vm.proc.before,
              "a console driver registered although its node is gone")
