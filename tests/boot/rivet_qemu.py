"""Drive Rivet in QEMU (virt, or machine="sifive_u") over its serial console, the way a person would.

    with Rivet(image, mem="128M", smp=2) as vm:
        boot_log = vm.start()            # OpenSBI banner .. first 'rivet> '
        out = vm.command("mem")          # the command's output, echo and prompt removed
        status = vm.poweroff()           # QEMU's exit status

    vm.dump_dtb(path)                    # the device tree QEMU generates for these args
    fdt_reg(path, "/memory@80000000")    # [(base, size)] via fdtget

Everything is bounded: each wait has a timeout (scaled by the environment
variable RIVET_TEST_TIMEOUT_SCALE, default 1), QEMU is killed when the `with`
block is left for any reason, and QEMU is also killed by the kernel
(PR_SET_PDEATHSIG) if this Python process dies, e.g. when ctest times out.

The console transcript is copied to `log` (stdout by default; ctest keeps it
and shows it with --output-on-failure).
"""

import argparse
import ctypes
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

import pexpect

QEMU = os.environ.get("RIVET_QEMU", "qemu-system-riscv64")
FIRMWARE = os.environ.get(
    "RIVET_FIRMWARE", "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin")
FDTGET = os.environ.get("RIVET_FDTGET", "fdtget")
PROMPT = "rivet> "

# Seconds. TCG is slow, and with ctest -j2 on 2 cores two QEMUs (each up to
# 4 vCPU threads) share the machine: these are an order of magnitude above
# what an idle machine needs (boot 0.2-2.5 s, a command < 0.1 s).
SCALE = float(os.environ.get("RIVET_TEST_TIMEOUT_SCALE", "1"))
BOOT_TIMEOUT = 60 * SCALE
COMMAND_TIMEOUT = 30 * SCALE
EXIT_TIMEOUT = 30 * SCALE
TOOL_TIMEOUT = 30 * SCALE


class TestFailure(Exception):
    """A check failed: the message says what was expected and what was seen."""


def check(cond, message):
    if not cond:
        raise TestFailure(message)


def test_parser(doc):
    """A test driver's argument parser, with --image; the driver adds its
    own options and then calls parse_test_args()."""
    p = argparse.ArgumentParser(description=doc,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--image", help="the kernel Image")
    return p


def parse_test_args(p, tests):
    """p's arguments plus what every driver takes: --workdir, --budget,
    --list (prints the names of tests and exits) and the test's name."""
    p.add_argument("--workdir", default=tempfile.gettempdir())
    p.add_argument("--budget", type=float, default=150,
                   help="seconds for the whole test (times RIVET_TEST_TIMEOUT_SCALE)")
    p.add_argument("--list", action="store_true")
    p.add_argument("test", nargs="?")
    args = p.parse_args()
    if args.list:
        print("\n".join(tests))
        sys.exit(0)
    if args.test not in tests or not args.image:
        p.error(f"need --image and one of: {', '.join(tests)}")
    return args


def run_test(tests, name, workdir, budget, make_ctx):
    """The body of a test driver's main(): tests[name](make_ctx(tmp)) in a
    fresh directory tmp under workdir, stopped after budget seconds (times
    SCALE). Prints ### PASS or ### FAIL and returns the exit status; a failed
    test's files are kept for a look, a passed one's removed."""
    os.makedirs(workdir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=name + ".", dir=workdir)

    def out_of_time(signum, frame):
        raise TestFailure(f"test budget of {budget * SCALE:.0f} s exceeded")
    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(budget * SCALE))
    t0 = time.monotonic()
    try:
        tests[name](make_ctx(tmp))
    except TestFailure as e:
        signal.alarm(0)
        print(f"\n### FAIL {name} ({time.monotonic() - t0:.1f} s): {e}\n"
              f"### files kept in {tmp}", flush=True)
        return 1
    signal.alarm(0)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n### PASS {name} ({time.monotonic() - t0:.1f} s)", flush=True)
    return 0


def note(message):
    print(f"\n### {message}", flush=True)


def _die_with_parent():
    # In the child between fork and exec: SIGKILL QEMU when its parent goes.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _crlf(text):
    """Console text with the terminal's carriage returns removed."""
    return text.replace("\r", "")


class Rivet:
    def __init__(self, kernel, mem="128M", smp=1, dtb=None, append=None, extra=(),
                 firmware=FIRMWARE, qemu=QEMU, log=None, machine="virt"):
        self.kernel = kernel
        self.machine = machine
        self.mem = mem
        self.smp = smp
        self.dtb = dtb
        self.append = append
        self.extra = list(extra)
        self.firmware = firmware
        self.qemu = qemu
        self.log = log if log is not None else sys.stdout
        self.proc = None
        self.boot_log = None
        self.status = None

    # ---- QEMU command line ------------------------------------------------

    def args(self):
        a = ["-M", self.machine, "-nographic", "-m", str(self.mem), "-smp", str(self.smp),
             "-bios", self.firmware, "-kernel", self.kernel]
        if self.dtb:
            a += ["-dtb", self.dtb]
        if self.append is not None:
            a += ["-append", self.append]
        return a + self.extra

    def dump_dtb(self, path):
        """Write the device tree QEMU builds (or loads with -dtb) for these
        arguments to path: QEMU exits right after -machine dumpdtb."""
        cmd = [self.qemu] + self.args() + ["-machine", f"dumpdtb={path}"]
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=TOOL_TIMEOUT, preexec_fn=_die_with_parent)
        check(r.returncode == 0 and os.path.getsize(path) > 0,
              f"dumpdtb failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
        return path

    # ---- lifetime -----------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    def spawn(self):
        note(f"qemu: {self.qemu} {' '.join(self.args())}")
        self.proc = pexpect.spawn(self.qemu, self.args(), encoding="utf-8",
                                  codec_errors="replace", timeout=COMMAND_TIMEOUT,
                                  echo=False, dimensions=(24, 200),
                                  preexec_fn=_die_with_parent)
        self.proc.logfile_read = self.log
        self.proc.delaybeforesend = None

    def start(self, timeout=BOOT_TIMEOUT):
        """Boot to the first prompt; returns the console output until then."""
        if self.proc is None:
            self.spawn()
        t0 = time.monotonic()
        self.expect(PROMPT, timeout, "the first monitor prompt")
        self.boot_log = _crlf(self.proc.before)
        note(f"booted to the prompt in {time.monotonic() - t0:.1f} s")
        return self.boot_log

    def alive(self):
        return self.proc is not None and self.proc.isalive()

    def kill(self):
        """Kill QEMU if it still runs (after a panic the hart just halts)."""
        if self.proc is None:
            return
        if self.proc.isalive():
            try:
                self.proc.terminate(force=True)
            except Exception:
                pass
        try:
            self.proc.close(force=True)
        except Exception:
            pass

    # ---- console ------------------------------------------------------------

    def expect(self, pattern, timeout=COMMAND_TIMEOUT, what=None, exact=True):
        """Wait for pattern (a literal string unless exact=False); fail with
        the recent console output on timeout or if QEMU exits."""
        try:
            if exact:
                return self.proc.expect_exact(pattern, timeout=timeout)
            return self.proc.expect(pattern, timeout=timeout)
        except pexpect.TIMEOUT:
            raise TestFailure(f"timed out after {timeout:.0f} s waiting for "
                              f"{what or repr(pattern)}; last output:\n"
                              f"{_crlf(self.proc.before or '')[-2000:]}") from None
        except pexpect.EOF:
            raise TestFailure(f"QEMU exited while waiting for {what or repr(pattern)}; "
                              f"last output:\n{_crlf(self.proc.before or '')[-2000:]}") from None

    def send(self, text):
        self.proc.send(text)

    def command(self, line, timeout=COMMAND_TIMEOUT):
        """Type a monitor command and return its output (lines joined by
        '\\n', without the echoed command line and the next prompt)."""
        self.proc.send(line + "\r")
        self.expect(PROMPT, timeout, f"the prompt after '{line}'")
        out = _crlf(self.proc.before)
        first, _, rest = out.partition("\n")
        check(first == line, f"command '{line}' echoed as {first!r}")
        return rest.rstrip("\n")

    def type_slowly(self, text, timeout=COMMAND_TIMEOUT):
        """Type text one character at a time, waiting for each echo."""
        for c in text:
            self.proc.send(c)
            self.expect(c, timeout, f"the echo of {c!r}")

    def wait_exit(self, timeout=EXIT_TIMEOUT):
        """Wait for QEMU to exit; returns its exit status (-N for signal N)."""
        deadline = time.monotonic() + timeout
        self.expect(pexpect.EOF, timeout, "QEMU to exit")
        while self.proc.isalive():
            if time.monotonic() > deadline:
                raise TestFailure(f"QEMU closed the console but did not exit in {timeout} s")
            time.sleep(0.05)
        self.status = (self.proc.exitstatus if self.proc.exitstatus is not None
                       else -(self.proc.signalstatus or 0))
        return self.status

    def poweroff(self, timeout=EXIT_TIMEOUT):
        self.proc.send("poweroff\r")
        return self.wait_exit(timeout)

    # ---- QEMU's own monitor (multiplexed on the console: Ctrl-A c) -------

    def qemu_monitor(self, line, timeout=COMMAND_TIMEOUT):
        """Run a QEMU monitor command (Ctrl-A c, the command, Ctrl-A c) and
        return its output; then resynchronise with an empty monitor line, so
        the guest console is at a fresh prompt again."""
        log, self.proc.logfile_read = self.proc.logfile_read, None  # readline redraws
        try:
            self.proc.send("\x01c")
            self.expect("(qemu) ", timeout, "the QEMU monitor")
            self.proc.send(line + "\r")
            self.expect("(qemu) ", timeout, f"the QEMU monitor after {line!r}")
            out = _crlf(self.proc.before)
            out = out.split("\n", 1)[1] if "\n" in out else out  # drop the echo
            self.proc.send("\x01c")
        finally:
            self.proc.logfile_read = log
        note(f"qemu monitor: {line}")
        self.proc.send("\r")
        self.expect(PROMPT, timeout, "the prompt after the QEMU monitor")
        return out

    def read_phys(self, addr, size, path, timeout=COMMAND_TIMEOUT):
        """Save guest physical memory [addr, addr+size) to path."""
        check('"' not in path, f"unsupported path {path}")
        if os.path.exists(path):
            os.unlink(path)
        out = self.qemu_monitor(f'pmemsave {addr:#x} {size:#x} "{path}"', timeout)
        check(os.path.exists(path) and os.path.getsize(path) == size,
              f"pmemsave of {size:#x} bytes at {addr:#x} failed: {out}")
        with open(path, "rb") as f:
            return f.read()

    def read_live_fdt(self, addr, path):
        """Save the flattened device tree the firmware handed the kernel."""
        header = self.read_phys(addr, 40, path)
        magic, totalsize = struct.unpack(">II", header[:8])
        check(magic == 0xD00DFEED, f"no FDT at {addr:#x} (magic {magic:#x})")
        self.read_phys(addr, totalsize, path)
        return path


# ---- OpenSBI's banner -------------------------------------------------------

def opensbi_field(boot_log, name):
    """A field of OpenSBI's banner, e.g. 'Domain0 Next Arg1' -> '0x...'."""
    m = re.search(rf"^{re.escape(name)}\s*:\s*(.*?)\s*$", boot_log, re.M)
    check(m, f"OpenSBI banner has no '{name}' line")
    return m.group(1)


# ---- device trees via fdtget -------------------------------------------------

def fdtget(dtb, node, prop, typ=None, default=None):
    cmd = [FDTGET]
    if typ:
        cmd += ["-t", typ]
    r = subprocess.run(cmd + [dtb, node, prop], capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    if r.returncode != 0:
        if default is not None:
            return default
        raise TestFailure(f"fdtget {node} {prop} in {dtb}: {r.stderr.strip()}")
    return r.stdout.rstrip("\n")


def fdt_string(dtb, node, prop, default=None):
    return fdtget(dtb, node, prop, "s", default)


def fdt_cells(dtb, node, prop, default=None):
    out = fdtget(dtb, node, prop, "x", default)
    if out is default:
        return default
    return [int(c, 16) for c in out.split()]


def fdt_children(dtb, node):
    r = subprocess.run([FDTGET, "-l", dtb, node], capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    if r.returncode != 0:
        return []
    return r.stdout.split()


def fdt_props(dtb, node):
    r = subprocess.run([FDTGET, "-p", dtb, node], capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    if r.returncode != 0:
        return []
    return r.stdout.split()


def _join(node, child):
    return ("" if node == "/" else node) + "/" + child


def _parent(node):
    return node.rsplit("/", 1)[0] or "/"


def _number(cells):
    v = 0
    for c in cells:
        v = (v << 32) | c
    return v


def fdt_reg(dtb, node):
    """node's reg as [(base, size)], sized by the parent's #address-cells and
    #size-cells."""
    parent = _parent(node)
    ac = fdt_cells(dtb, parent, "#address-cells", [2])[0]
    sc = fdt_cells(dtb, parent, "#size-cells", [1])[0]
    cells = fdt_cells(dtb, node, "reg")
    check(len(cells) % (ac + sc) == 0, f"{node}: reg of {len(cells)} cells")
    out = []
    for i in range(0, len(cells), ac + sc):
        out.append((_number(cells[i:i + ac]), _number(cells[i + ac:i + ac + sc])))
    return out


def fdt_memory(dtb):
    """[(base, size, node)] of every device_type = "memory" node under /."""
    out = []
    for child in fdt_children(dtb, "/"):
        node = _join("/", child)
        if fdt_string(dtb, node, "device_type", "") == "memory":
            out += [(b, s, child) for b, s in fdt_reg(dtb, node)]
    return sorted(out)


def fdt_reserved_memory(dtb):
    """[(base, size, name)] of the /reserved-memory children with a reg."""
    out = []
    for child in fdt_children(dtb, "/reserved-memory"):
        node = _join("/reserved-memory", child)
        if "reg" in fdt_props(dtb, node):
            out += [(b, s, child) for b, s in fdt_reg(dtb, node)]
    return out


def fdt_mem_rsvmap(dtb):
    """The /memreserve/ entries of the FDT header, [(base, size)]."""
    with open(dtb, "rb") as f:
        blob = f.read()
    off = struct.unpack(">I", blob[16:20])[0]
    out = []
    while True:
        base, size = struct.unpack(">QQ", blob[off:off + 16])
        if base == 0 and size == 0:
            return out
        out.append((base, size))
        off += 16


def fdt_mmu_cpus(dtb):
    """Hart ids (reg) of the /cpus/cpu@* nodes that have an mmu-type and are
    not disabled: the harts a kernel with paging can run on."""
    harts = []
    for child in fdt_children(dtb, "/cpus"):
        node = _join("/cpus", child)
        props = fdt_props(dtb, node)
        if fdt_string(dtb, node, "device_type", "") != "cpu" or "mmu-type" not in props:
            continue
        if fdt_string(dtb, node, "status", "okay") not in ("okay", "ok"):
            continue
        harts.append(fdt_cells(dtb, node, "reg")[0])
    return sorted(harts)


# ---- what the monitor prints ---------------------------------------------------

def parse_mem(out):
    """`mem` -> dict(banks=[(base, end)], reserved=[(base, end, name)],
    total_mib=N, free_kib=N); ranges are [base, end)."""
    banks, reserved, total = [], [], None
    for line in out.splitlines():
        m = re.match(r"bank (\d+): (0x[0-9a-f]+)-(0x[0-9a-f]+) \((\d+) MiB\)\s*$", line)
        if m:
            banks.append((int(m.group(2), 16), int(m.group(3), 16)))
            continue
        m = re.match(r"reserved (\d+): (0x[0-9a-f]+)-(0x[0-9a-f]+) \((\d+) KiB\)\s*(.*)$", line)
        if m:
            reserved.append((int(m.group(2), 16), int(m.group(3), 16), m.group(5).strip()))
            continue
        m = re.match(r"total (\d+) MiB, free (\d+) KiB\s*$", line)
        if m:
            total = (int(m.group(1)), int(m.group(2)))
            continue
        raise TestFailure(f"unexpected line in 'mem' output: {line!r}")
    check(total, f"'mem' printed no 'total N MiB, free N KiB' line:\n{out}")
    return dict(banks=banks, reserved=reserved, total_mib=total[0], free_kib=total[1])


def parse_harts(out):
    """`harts` -> (count, [dict(id, state, boot, sbi_state, isa)])."""
    lines = out.splitlines()
    m = re.match(r"harts: (\d+)\s*$", lines[0]) if lines else None
    check(m, f"'harts' output does not start with 'harts: N':\n{out}")
    count = int(m.group(1))
    harts = []
    for line in lines[1:]:
        m = re.match(r"hart (\d+): (online|parked)( \(boot\))? sbi-state (\d+) isa (\S+)\s*$",
                     line)
        check(m, f"unexpected line in 'harts' output: {line!r}")
        harts.append(dict(id=int(m.group(1)), state=m.group(2), boot=bool(m.group(3)),
                          sbi_state=int(m.group(4)), isa=m.group(5)))
    return count, harts


def parse_ticks(out):
    """`ticks` -> (ticks, hz, uptime_ms, timebase_hz)."""
    m = re.fullmatch(r"ticks (\d+) at (\d+) Hz, uptime (\d+) ms, timebase (\d+) Hz\s*", out)
    check(m, f"unexpected 'ticks' output: {out!r}")
    return tuple(int(g) for g in m.groups())


def parse_irqs(out):
    """`irqs` -> {line: dict(count, enabled, owner)}."""
    irqs = {}
    for line in out.splitlines():
        m = re.match(r"irq (\d+): (\d+) interrupts, (enabled|disabled|masked)(?:, (.*))?$", line)
        check(m, f"unexpected line in 'irqs' output: {line!r}")
        irqs[int(m.group(1))] = dict(count=int(m.group(2)), enabled=m.group(3) == "enabled",
                                     owner=(m.group(4) or "").strip())
    return irqs


def parse_cmdline(out):
    m = re.fullmatch(r'cmdline: "(.*)"\s*', out, re.S)
    check(m, f"unexpected 'cmdline' output: {out!r}")
    return m.group(1)
