"""Boot tests of the device services (drivers/): virtio-blk in the modern
and the legacy virtio-mmio transport, read-only disks and device errors,
virtio-rng, the goldfish RTC, syscon poweroff/reboot and the SBI fallback.
Each compares what the kernel reports with the host's side: the disk image
file, the host clock, the QEMU exit status.

  boot.virtio-blk.modern   hashes of sectors read 8 at a time = the image's,
  boot.virtio-blk.legacy   bounds, a write + flush lands in the image file,
                           completions come by interrupt
  boot.virtio-blk.readonly readonly=on: VIRTIO_BLK_F_RO, writes give EROFS
  boot.virtio-blk.ioerror  a blkdebug-injected read error becomes EIO
  boot.virtio-rng          the rng device feeds the entropy pool (none without)
  boot.rtc                 the wall clock is the host's, or -rtc base=...
  boot.power.syscon-off    poweroff through syscon-poweroff, QEMU exits 0
  boot.power.syscon-reboot reboot through syscon-reboot (-no-reboot exits)
  boot.power.sbi-fallback  without the syscon nodes, SBI SRST powers off
"""

import calendar
import os
import re
import time

from rivet_qemu import Rivet, check, note, parse_irqs  # noqa: F401

TESTS = {}
SECTOR = 512


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def make_disk(path, sectors):
    with open(path, "wb") as f:
        f.write(os.urandom(sectors * SECTOR))
    return path


def disk_args(path, legacy=None, extra_drive=""):
    a = ["-drive", f"file={path},if=none,format=raw,id=d0{extra_drive}",
         "-device", "virtio-blk-device,drive=d0"]
    if legacy is not None:
        a = ["-global", f"virtio-mmio.force-legacy={'true' if legacy else 'false'}"] + a
    return a


def parse_blkread(out):
    """`blkread` -> ({sector: hash or errno name}, max in flight)."""
    res, inflight = {}, None
    for line in out.splitlines():
        if re.match(r"virtio-blk \S+: request at sector \d+ failed", line):
            continue  # the driver's own report of a device error
        m = re.match(r"blkread \S+ (\d+): (?:fnv1a 0x([0-9a-f]{8})|(E[A-Z]+))\s*$", line)
        if m:
            res[int(m.group(1))] = int(m.group(2), 16) if m.group(2) else m.group(3)
            continue
        m = re.match(r"blkread: (\d+) requests, at most (\d+) in flight\s*$", line)
        check(m, f"unexpected line in 'blkread' output: {line!r}")
        inflight = int(m.group(2))
    check(inflight is not None, f"'blkread' printed no summary:\n{out}")
    return res, inflight


def dma_handles(caps):
    """How many DMA handles the `caps` ledger lists for virtio devices."""
    return len(re.findall(r"^\s*\d+ dma .* virtio-mmio /soc/virtio_mmio@", caps, re.M))


def blk_test(ctx, legacy):
    sectors = 4096
    img = make_disk(ctx.path("disk.img"), sectors)
    with open(img, "rb") as f:
        data = bytearray(f.read())
    vm = ctx.vm(extra=disk_args(img, legacy))
    with vm:
        log = vm.start()
        mode = "legacy" if legacy else "modern"
        check(re.search(rf"^virtio: \S+: virtio-blk \({mode} transport\)", log, re.M),
              f"boot log does not report a virtio-blk on the {mode} transport")
        check(re.search(rf"^block: vda: {sectors} sectors of 512 bytes\s*$", log, re.M),
              f"boot log does not register vda with {sectors} sectors")
        out = vm.command("blk")
        check(out.strip() == f"vda: {sectors} sectors of 512 bytes", f"'blk' said {out!r}")
        irqs1 = parse_irqs(vm.command("irqs"))
        dma_before = dma_handles(vm.command("caps"))
        check(dma_before >= 2, f"the ledger lists {dma_before} virtio DMA handles (queue and "
              f"headers expected)")

        # Sector 0 and its neighbours, eight requests in flight together.
        res, inflight = parse_blkread(vm.command("blkread vda 0 8"))
        for s in range(8):
            want = fnv1a(data[s * SECTOR:(s + 1) * SECTOR])
            check(res.get(s) == want, f"sector {s}: kernel hash {res.get(s)!r}, host {want:#x}")
        note(f"8 sectors match the image; at most {inflight} requests in flight")
        check(inflight > 1, f"only {inflight} request in flight: no queue depth")
        irqs2 = parse_irqs(vm.command("irqs"))
        blk_irqs = [n for n, v in irqs2.items() if "virtio" in v["owner"] and
                    v["count"] > irqs1.get(n, {"count": 0})["count"]]
        check(blk_irqs, "no virtio interrupt counted for the reads: completion is not "
              "interrupt-driven")

        # The driver keeps a bounce buffer per request slot (16) for the next
        # request: the same batch again must take no more handles.
        dma_after = dma_handles(vm.command("caps"))
        check(dma_after <= dma_before + 16, f"virtio DMA handles {dma_before} -> {dma_after} "
              f"after the reads: more than one kept bounce buffer per slot")
        parse_blkread(vm.command("blkread vda 0 8"))
        dma_again = dma_handles(vm.command("caps"))
        check(dma_again == dma_after, f"virtio DMA handles {dma_after} -> {dma_again} after "
              f"the same reads again: bounce buffers leaked")

        # Large requests: 4 x 64 sectors in flight, then the 4 MiB limit.
        res, _ = parse_blkread(vm.command("blkread vda 256 4 64"))
        for i in range(4):
            s0 = 256 + 64 * i
            want = fnv1a(data[s0 * SECTOR:(s0 + 64) * SECTOR])
            check(res.get(s0) == want, f"64 sectors at {s0}: {res.get(s0)!r}, host {want:#x}")
        res, _ = parse_blkread(vm.command("blkread vda 0 1 4096"))
        check(res.get(0) == fnv1a(data[:4096 * SECTOR]), f"one 2 MiB read: {res!r}")

        # The last sector, and one past the end.
        res, _ = parse_blkread(vm.command(f"blkread vda {sectors - 1}"))
        want = fnv1a(data[(sectors - 1) * SECTOR:])
        check(res.get(sectors - 1) == want, f"last sector: {res!r}, host {want:#x}")
        res, _ = parse_blkread(vm.command(f"blkread vda {sectors}"))
        check(res.get(sectors) == "EINVAL", f"read past the end gave {res!r}, not EINVAL")

        # A write with a flush, then read back.
        out = vm.command("blkwrite vda 3 0x5a")
        check("blkwrite vda 3: OK" in out and "blkflush vda: OK" in out,
              f"'blkwrite' said {out!r}")
        res, _ = parse_blkread(vm.command("blkread vda 3"))
        check(res.get(3) == fnv1a(b"\x5a" * SECTOR), f"sector 3 after the write: {res!r}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")
    with open(img, "rb") as f:
        after = f.read()
    data[3 * SECTOR:4 * SECTOR] = b"\x5a" * SECTOR
    check(after == bytes(data), "the image file differs from what was written "
          "(sector 3 filled with 0x5a, the rest untouched)")


@test("boot.virtio-blk.modern")
def t_blk_modern(ctx):
    blk_test(ctx, legacy=False)


@test("boot.virtio-blk.legacy")
def t_blk_legacy(ctx):
    blk_test(ctx, legacy=True)


@test("boot.virtio-blk.readonly")
def t_blk_readonly(ctx):
    img = make_disk(ctx.path("disk.img"), 64)
    with open(img, "rb") as f:
        data = f.read()
    with ctx.vm(extra=disk_args(img, extra_drive=",readonly=on")) as vm:
        vm.start()
        out = vm.command("blk")
        check(out.strip() == "vda: 64 sectors of 512 bytes, read-only",
              f"'blk' said {out!r}, expected a read-only disk")
        out = vm.command("blkwrite vda 1 0x11")
        check("blkwrite vda 1: EROFS" in out, f"write to a read-only disk: {out!r}")
        res, _ = parse_blkread(vm.command("blkread vda 1"))
        check(res.get(1) == fnv1a(data[SECTOR:2 * SECTOR]), f"read-only disk read: {res!r}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")
    with open(img, "rb") as f:
        check(f.read() == data, "the read-only image changed")


@test("boot.virtio-blk.ioerror")
def t_blk_ioerror(ctx):
    img = make_disk(ctx.path("disk.img"), 256)
    rules = ctx.path("blkdebug.conf")
    with open(rules, "w") as f:
        f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "100"\n')
    extra = ["-drive", f"file=blkdebug:{rules}:{img},if=none,format=raw,id=d0,rerror=report",
             "-device", "virtio-blk-device,drive=d0"]
    with open(img, "rb") as f:
        data = f.read()
    with ctx.vm(extra=extra) as vm:
        vm.start()
        out = vm.command("blkread vda 99 3")
        check(re.search(r"^virtio-blk vda: request at sector 100 failed", out, re.M),
              f"the driver did not report the device error:\n{out}")
        res, _ = parse_blkread(out)
        check(res.get(100) == "EIO", f"injected error at sector 100 gave {res.get(100)!r}")
        for s in (99, 101):
            check(res.get(s) == fnv1a(data[s * SECTOR:(s + 1) * SECTOR]),
                  f"sector {s} next to the failed one: {res.get(s)!r}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


def parse_random(out):
    m = re.fullmatch(r"random: (\d+) bytes from hardware, sample ([0-9a-f]{16})\s*", out)
    check(m, f"unexpected 'random' output: {out!r}")
    return int(m.group(1)), m.group(2)


@test("boot.virtio-rng")
def t_rng(ctx):
    with ctx.vm(extra=["-device", "virtio-rng-device"]) as vm:
        log = vm.start()
        check(re.search(r"^virtio: \S+: virtio-rng", log, re.M), "no virtio-rng bound")
        deadline = time.monotonic() + 10
        n, s1 = parse_random(vm.command("random"))
        while n < 64 and time.monotonic() < deadline:
            time.sleep(0.2)
            n, s1 = parse_random(vm.command("random"))
        check(n >= 64, f"only {n} bytes from virtio-rng reached the entropy pool")
        _, s2 = parse_random(vm.command("random"))
        check(s1 != s2, "two samples are equal")
        note(f"{n} hardware bytes fed in")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")
    with ctx.vm() as vm:
        vm.start()
        n, _ = parse_random(vm.command("random"))
        check(n == 0, f"{n} hardware bytes counted without an rng device")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


def parse_date(out):
    m = re.fullmatch(r"date: (\d+) s since 1970\s*", out)
    check(m, f"unexpected 'date' output (wall clock not set?): {out!r}")
    return int(m.group(1))


@test("boot.rtc")
def t_rtc(ctx):
    with ctx.vm() as vm:
        vm.start()
        t0 = time.time()
        secs = parse_date(vm.command("date"))
        check(abs(secs - t0) < 10, f"wall clock {secs} vs host {t0:.0f}")
        time.sleep(1.2)
        secs2 = parse_date(vm.command("date"))
        check(secs2 > secs, f"wall clock did not advance: {secs} -> {secs2}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")
    base = calendar.timegm((2001, 2, 3, 4, 5, 6, 0, 0, 0))
    with ctx.vm(extra=["-rtc", "base=2001-02-03T04:05:06"]) as vm:
        vm.start()
        secs = parse_date(vm.command("date"))
        check(base <= secs < base + 60, f"-rtc base=2001-02-03T04:05:06 ({base}) but the "
              f"kernel says {secs}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.power.syscon-off")
def t_syscon_off(ctx):
    with ctx.vm() as vm:
        vm.start()
        vm.send("poweroff\r")
        vm.expect("power: off through syscon-poweroff", what="the syscon poweroff line")
        status = vm.wait_exit()
        check(status == 0, f"QEMU exit status {status} after poweroff, expected 0")


@test("boot.power.syscon-reboot")
def t_syscon_reboot(ctx):
    with ctx.vm(extra=["-no-reboot"]) as vm:
        vm.start()
        vm.send("reboot\r")
        vm.expect("power: reboot through syscon-reboot", what="the syscon reboot line")
        status = vm.wait_exit()
        check(status == 0, f"QEMU exit status {status} after a reset with -no-reboot")
    # Without -no-reboot the machine comes back to the monitor.
    with ctx.vm() as vm:
        vm.start()
        vm.send("reboot\r")
        vm.expect("power: reboot through syscon-reboot", what="the syscon reboot line")
        vm.start()
        note("rebooted to a second prompt")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boot.power.sbi-fallback")
def t_sbi_fallback(ctx):
    import subprocess
    vm = ctx.vm()
    dtb = vm.dump_dtb(ctx.path("qemu.dtb"))
    for node in ("/poweroff", "/reboot"):
        r = subprocess.run(["fdtput", "-r", dtb, node], capture_output=True, text=True)
        check(r.returncode == 0, f"fdtput -r {node}: {r.stderr}")
    with ctx.vm(dtb=dtb) as vm:
        log = vm.start()
        check("syscon-poweroff" not in log, "a syscon-poweroff bound without the node")
        vm.send("poweroff\r")
        vm.expect("power: off through SBI", what="the SBI fallback line")
        status = vm.wait_exit()
        check(status == 0, f"QEMU exit status {status} after an SBI poweroff")
