"""Boot tests of other boards than QEMU virt: the same Image, told apart
only by the device tree the machine hands over.

  boot.sifive_u   QEMU -M sifive_u -smp 5 (the HiFive Unleashed: an E51
                  monitor hart without an MMU and four U54 harts, a
                  sifive,uart0 console, a 1 MHz timebase) boots the busybox
                  initramfs to the shell; what the kernel reports is held
                  to QEMU's device tree, typed input arrives through the
                  SiFive UART's interrupt, and sleep/date keep the board's
                  time.
"""

import os
import re
import sys
import time

from rivet_qemu import (check, fdt_cells, fdt_children, fdt_memory, fdt_mmu_cpus,  # noqa: E402
                        fdt_string, note)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "console"))
from busybox_console import Console  # noqa: E402

TESTS = {}
IRQ_S_EXT = 9


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


def plic_s_context(dt, hartid):
    """The PLIC context whose interrupts-extended entry is (hart's cpu-intc,
    S-mode external interrupt), as the device tree describes it."""
    cpu = f"/cpus/cpu@{hartid:x}"
    intc = [c for c in fdt_children(dt, cpu) if c.startswith("interrupt-controller")]
    check(intc, f"{cpu} has no interrupt-controller child")
    phandle = fdt_cells(dt, f"{cpu}/{intc[0]}", "phandle")[0]
    plic = [c for c in fdt_children(dt, "/soc") if c.startswith("interrupt-controller@")]
    check(plic, "no /soc/interrupt-controller@ (PLIC) in the device tree")
    ie = fdt_cells(dt, f"/soc/{plic[0]}", "interrupts-extended")
    pairs = list(zip(ie[0::2], ie[1::2]))
    check((phandle, IRQ_S_EXT) in pairs, f"no S-mode PLIC context for hart {hartid}")
    return pairs.index((phandle, IRQ_S_EXT))


def uptime(vm):
    out = vm.sh("cat /proc/uptime")
    m = re.fullmatch(r"(\d+\.\d+) \d+\.\d+", out)
    check(m, f"/proc/uptime printed {out!r}")
    return float(m.group(1))


def check_sifive_boot_log(log, dt):
    stdout = fdt_string(dt, "/chosen", "stdout-path").split(":")[0]
    check(fdt_string(dt, stdout, "compatible").startswith("sifive,uart0"),
          f"QEMU's stdout-path {stdout} is not a sifive,uart0")
    check(re.search(rf"^bind: {re.escape(stdout)} -> sifive-uart$", log, re.M),
          f"the boot log does not show {stdout} bound to sifive-uart")
    check(re.search(rf"^console: output now through {re.escape(stdout)}$", log, re.M),
          f"the console did not move to {stdout}")
    cpus = [c for c in fdt_children(dt, "/cpus") if c.startswith("cpu@")]
    mmu = fdt_mmu_cpus(dt)
    m = re.search(r"^cpus: (\d+) harts with an MMU, (\d+) skipped .*boot hart (\d+)$", log, re.M)
    check(m, "no 'cpus:' line in the boot log")
    n, skipped, boot = (int(g) for g in m.groups())
    check(n == len(mmu) == 4 and skipped == len(cpus) - len(mmu) == 1,
          f"kernel: {n} MMU harts, {skipped} skipped; device tree: {len(cpus)} cpus, "
          f"{len(mmu)} with mmu-type")
    check(boot in mmu and boot != 0, f"boot hart {boot} is not one of the U54 harts {mmu}")
    check(not re.search(r"^cpus: hart 0:", log, re.M), "hart 0 (the E51, no MMU) was listed")
    ctx = plic_s_context(dt, boot)
    m = re.search(r"^plic: .* boot hart context (\d+)$", log, re.M)
    check(m and int(m.group(1)) == ctx,
          f"PLIC context {m and m.group(1)} for hart {boot}, device tree says {ctx}")
    tb = fdt_cells(dt, "/cpus", "timebase-frequency")[0]
    check(re.search(rf"^timer: timebase {tb} Hz", log, re.M),
          f"the boot log does not show the device tree's timebase {tb} Hz")
    for base, size, _ in fdt_memory(dt):
        check(re.search(rf"^mem: bank\s+0x0*{base:x}-0x0*{base + size - 1:x}\s", log, re.M),
              f"no 'mem: bank' line for {base:#x}+{size:#x}")
    note(f"sifive_u boot log ok: console {stdout}, harts {mmu} (boot {boot}), PLIC context "
         f"{ctx}, timebase {tb} Hz")


@test("boot.sifive_u")
def t_sifive_u(ctx):
    check(ctx.args.initrd, "boot.sifive_u needs --initrd (the busybox initramfs)")
    vm = Console(ctx.args.image, ctx.args.initrd, machine="sifive_u", smp=5)
    dt = vm.dump_dtb(ctx.path("sifive_u.dtb"))
    with vm:
        log = vm.start()
        check_sifive_boot_log(log, dt)
        # Every keystroke below comes in through the UART's receive interrupt.
        out = vm.sh("echo typed on $(uname -m)")
        check(out == "typed on riscv64", f"echo printed {out!r}")
        d0 = int(vm.sh("date +%s"))
        host0 = time.monotonic()  # before the first reading, after the second
        t0 = uptime(vm)
        vm.run("sleep 2")
        t1 = uptime(vm)
        host = time.monotonic() - host0
        d1 = int(vm.sh("date +%s"))
        # The guest clock is QEMU's, which runs with the host's: a timebase
        # read wrong (1 MHz here, 10 MHz on virt) would stretch or squeeze it.
        check(t1 - t0 >= 2.0, f"uptime advanced {t1 - t0:.2f} s over 'sleep 2'")
        check(t1 - t0 <= host + 0.1, f"uptime advanced {t1 - t0:.2f} s while the host "
              f"saw {host:.2f} s")
        check(d1 - d0 >= 2, f"date +%s went from {d0} to {d1} over 'sleep 2'")
        note(f"sleep 2: uptime +{t1 - t0:.2f} s, date +{d1 - d0} s, host {host:.2f} s")
