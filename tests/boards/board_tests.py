#!/usr/bin/python3
"""Board tests: the boot paths and machine descriptions of the boards Rivet
targets, as far as this machine can reach them without the boards.

    board_tests.py --image build/Image --initramfs build/rootfs/initramfs.cpio \
                   --mimic-dtb build/dts/visionfive2-mimic.dtb --workdir DIR TEST
    board_tests.py --list

The tests (one ctest case each, see CMakeLists.txt):
  boards.uboot-extlinux   scripts/mk-uboot-disk.sh's disk on virtio-blk; OpenSBI
                          fw_jump -> Debian's S-mode U-Boot -> distro boot finds
                          extlinux.conf -> booti -> the busybox prompt. The kernel's
                          command line, initramfs and device tree are the ones
                          U-Boot handed over.
  boards.vf2-sdcard       scripts/mk-vf2-sdcard.sh's image read back: GPT layout,
                          partition 3's files, vf2_uEnv.txt, and the Image plus BSS
                          ending below the device tree at 0x46000000 (and the
                          script refusing a kernel that would not).
  boards.vf2-extlinux     the same card booted by U-Boot's distro boot (QEMU's, from
                          virtio): it picks partition 3 by its attribute, extlinux.conf.
  boards.vf2-uenv         the same card's vf2_uEnv.txt run by a real U-Boot (QEMU's,
                          from virtio, addresses moved to QEMU's DRAM): fatload,
                          env import -t, run boot2 -> booti -> the busybox prompt.
  boards.visionfive2-mimic  dts/visionfive2-mimic.dts via -dtb, -smp 5: hart 0 (no
                          MMU, disabled) left alone, the boot hart not 0, the 4 MHz
                          timebase taken from the tree, memory from /memory.

Each test works in its own fresh directory under --workdir (kept on failure).
"""

import json
import os
import random
import re
import string
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "boot"))
sys.path.insert(0, os.path.join(HERE, "..", "console"))
from rivet_qemu import (  # noqa: E402
    BOOT_TIMEOUT, COMMAND_TIMEOUT, SCALE, TOOL_TIMEOUT, Rivet, TestFailure, check, fdt_cells,
    note, opensbi_field, parse_test_args, parse_ticks, run_test, test_parser)
import boot_tests  # noqa: E402  (its checks of `mem`, `harts`, `cmdline`)
from busybox_console import Console  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
UBOOT = os.environ.get("RIVET_UBOOT", "/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf")
FW_JUMP = os.environ.get("RIVET_FW_JUMP",
                         "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf")
SECTOR = 512
GPT_BASIC_DATA = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7"
GPT_VF2_SPL = "2E54B353-1271-4842-806F-E436D6AF6985"
GPT_VF2_UBOOT = "5B193300-FC78-40CD-8002-E86C45580B47"
VF2_KERNEL_ADDR, VF2_FDT_ADDR = 0x40200000, 0x46000000
UBOOT_FDT_PAD = 0x3000
TESTS = {}


def test(name):
    def register(fn):
        TESTS[name] = fn
        return fn
    return register


def token(n=12):
    rng = random.SystemRandom()
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def run(cmd, what=None, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=TOOL_TIMEOUT * 4, **kw)
    check(r.returncode == 0, f"{what or ' '.join(cmd)} failed ({r.returncode}):\n"
          f"{r.stdout}{r.stderr}")
    return r.stdout


def partitions(disk):
    """The GPT as sfdisk reads it: [dict(start, size, type, name, attrs)]."""
    table = json.loads(run(["sfdisk", "--json", disk]))["partitiontable"]
    check(table["label"] == "gpt", f"{disk}: partition table is {table['label']}, not GPT")
    return table["partitions"]


def fat_read(disk, part, path):
    """A file's bytes from the FAT file system of partition part (mtools
    reads it at its offset in the disk file: no mount)."""
    offset = part["start"] * SECTOR
    r = subprocess.run(["mtype", "-i", f"{disk}@@{offset}", f"::{path}"],
                       capture_output=True, timeout=TOOL_TIMEOUT,
                       env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    check(r.returncode == 0, f"{path} is not on partition {part['node']}: "
          f"{r.stderr.decode(errors='replace')}")
    return r.stdout


def extlinux_append(conf):
    m = re.search(r"^\s*append\s+(.*?)\s*$", conf, re.M)
    check(m, f"extlinux.conf has no append line:\n{conf}")
    return m.group(1)


def check_boot_partition(disk, part, image, initramfs, append):
    """The FAT partition holds the Image, the initramfs and an extlinux.conf
    booting them with this command line."""
    check("LegacyBIOSBootable" in (part.get("attrs") or ""),
          f"partition {part['node']} lacks the legacy BIOS bootable attribute "
          f"(U-Boot's distro boot would not scan it): attrs {part.get('attrs')!r}")
    check(part["type"].upper() == GPT_BASIC_DATA, f"partition {part['node']} type {part['type']}")
    for path, want in (("/Image", image), ("/initramfs.cpio", initramfs)):
        with open(want, "rb") as f:
            check(fat_read(disk, part, path) == f.read(), f"{path} differs from {want}")
    conf = fat_read(disk, part, "/extlinux/extlinux.conf").decode()
    check(re.search(r"^\s*kernel\s+/Image\s*$", conf, re.M), f"no 'kernel /Image':\n{conf}")
    check(re.search(r"^\s*initrd\s+/initramfs.cpio\s*$", conf, re.M),
          f"no 'initrd /initramfs.cpio':\n{conf}")
    check(extlinux_append(conf) == append, f"append {extlinux_append(conf)!r} != {append!r}")
    return conf


# ---- U-Boot on QEMU virt ----------------------------------------------------------

class UBootConsole(Console):
    """The busybox console, reached through OpenSBI fw_jump and U-Boot from a
    virtio-blk disk instead of QEMU's -kernel/-initrd."""

    def __init__(self, disk, mem="256M"):
        Rivet.__init__(self, UBOOT, mem=mem, firmware=FW_JUMP, extra=[
            "-drive", f"file={disk},format=raw,if=none,id=hd0",
            "-device", "virtio-blk-device,drive=hd0"])
        self.linux = False
        self.cwd_prompt = None


def log_hex(log, pattern, what):
    m = re.search(pattern, log, re.M)
    check(m, f"the boot log has no {what} (/{pattern}/)")
    return int(m.group(1), 16)


@test("boards.uboot-extlinux")
def t_uboot_extlinux(ctx):
    a = ctx.args
    append = f"rivet.test=uboot-extlinux rivet.token={token()}"
    disk = ctx.path("disk.img")
    run([os.path.join(ROOT, "scripts", "mk-uboot-disk.sh"), "--image", a.image,
         "--initrd", a.initramfs, "--out", disk, "--append", append])
    parts = partitions(disk)
    check(len(parts) == 1, f"expected one partition, found {len(parts)}")
    check_boot_partition(disk, parts[0], a.image, a.initramfs, append)
    boot_extlinux(ctx, disk, 1, append)


def boot_extlinux(ctx, disk, part_no, append):
    """Let U-Boot's autoboot (distro boot) find extlinux.conf on partition
    part_no of disk and boot it; check what the kernel got from U-Boot."""
    a = ctx.args
    with UBootConsole(disk) as vm:
        vm.spawn()
        # U-Boot either starts a kernel or, having found nothing to boot,
        # stops at its prompt: fail then at once, not at the boot timeout.
        if vm.expect([r"Starting kernel \.\.\.", r"\n=> "], BOOT_TIMEOUT,
                     "U-Boot to start a kernel", exact=False) == 1:
            raise TestFailure("U-Boot's autoboot found nothing to boot and stopped at its "
                              f"prompt:\n{vm.proc.before.replace(chr(13), '')[-2000:]}")
        log = vm.proc.before.replace("\r", "") + vm.start()
        # U-Boot ran, found our partition by distro boot and read our file.
        check(re.search(r"^U-Boot 20\d\d", log, re.M), "no U-Boot banner")
        scanned = re.findall(r"^Scanning virtio 0:(\d+)\.\.\.", log, re.M)
        check(scanned and scanned[-1] == str(part_no),
              f"U-Boot's distro boot scanned partitions {scanned}, expected to boot from "
              f"{part_no} (the legacy BIOS bootable one)")
        check("Found /extlinux/extlinux.conf" in log, "U-Boot's distro boot did not find "
              "/extlinux/extlinux.conf on the disk")
        check(re.search(rf"^append: {re.escape(append)}\s*$", log, re.M),
              "U-Boot did not print our extlinux.conf append line")
        # The device tree: the one booti says it passes, not the one OpenSBI
        # gave U-Boot (fw_jump's FW_JUMP_FDT_ADDR).
        uboot_fdt = log_hex(log, r"Booting using the fdt blob at (0x[0-9a-f]+)",
                            "U-Boot 'Booting using the fdt blob at' line")
        sbi_fdt = int(opensbi_field(log, "Domain0 Next Arg1"), 16)
        kernel_fdt = log_hex(log, r"^boot: hart \d+, image at 0x[0-9a-f]+ \(\d+ KiB\), "
                             r"device tree at (0x[0-9a-f]+)", "kernel 'boot:' line")
        check(kernel_fdt == uboot_fdt, f"kernel got the device tree at {kernel_fdt:#x}, "
              f"U-Boot's booti passed {uboot_fdt:#x}")
        check(kernel_fdt != sbi_fdt, f"kernel got OpenSBI's tree at {sbi_fdt:#x} "
              "instead of U-Boot's")
        # U-Boot moved the Image to DRAM base + text_offset.
        check(re.search(r"^boot: hart \d+, image at 0x80200000 ", log, re.M),
              "kernel not running at 0x80200000, where booti moves the Image")
        # The command line and initramfs came in U-Boot's /chosen.
        check(re.search(rf'^boot: command line "{re.escape(append)}"$', log, re.M),
              f"the kernel's command line is not extlinux.conf's append {append!r}")
        m = re.search(r"^boot: initramfs at (0x[0-9a-f]+), (\d+) KiB$", log, re.M)
        check(m, "the kernel got no initramfs from U-Boot")
        size_kib = os.path.getsize(a.initramfs) // 1024
        check(int(m.group(2)) == size_kib, f"initramfs of {m.group(2)} KiB, the file on "
              f"the disk has {size_kib} KiB")
        note(f"U-Boot handed over: device tree {kernel_fdt:#x} (OpenSBI's {sbi_fdt:#x}), "
             f"initramfs {m.group(1)} {size_kib} KiB, command line {append!r}")
        out = vm.run("cat /proc/cmdline")
        check(out == append, f"/proc/cmdline {out!r} != {append!r}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


# ---- VisionFive 2 SD card -----------------------------------------------------------

def uenv_vars(text):
    """vf2_uEnv.txt as U-Boot's `env import -t` reads it: name=value lines,
    '#' comments."""
    env = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, value = line.partition("=")
        check(sep and re.fullmatch(r"[A-Za-z0-9_]+", name), f"bad uEnv line {line!r}")
        env[name] = value
    return env


def image_size(path):
    with open(path, "rb") as f:
        hdr = f.read(64)
    check(hdr[0x30:0x35] == b"RISCV", f"{path}: no RISC-V Image magic")
    return struct.unpack("<Q", hdr[16:24])[0]


def check_vf2_layout(uenv, image):
    """The vendor U-Boot's addresses: the Image at kernel_addr_r, plus BSS,
    ends below fdt_addr_r, and the device tree's room ends below the ramdisk."""
    kernel, fdt = int(uenv["kernel_addr_r"], 16), int(uenv["fdt_addr_r"], 16)
    ramdisk = int(uenv["ramdisk_addr_r"], 16)
    check(kernel == VF2_KERNEL_ADDR and fdt == VF2_FDT_ADDR,
          f"kernel_addr_r {kernel:#x} / fdt_addr_r {fdt:#x}, the vendor U-Boot's are "
          f"{VF2_KERNEL_ADDR:#x} / {VF2_FDT_ADDR:#x}")
    end = kernel + image_size(image)
    check(end <= fdt, f"the Image with BSS ends at {end:#x}, past the device tree at {fdt:#x}")
    m = re.search(r"fdt move \$\{fdtcontroladdr\} \$\{fdt_addr_r\} (0x[0-9a-f]+)",
                  uenv.get("rivet_fdt", ""))
    check(m, f"rivet_fdt does not copy the device tree to fdt_addr_r: {uenv.get('rivet_fdt')!r}")
    # booti then grows the tree in place by CONFIG_SYS_FDT_PAD (0x3000).
    check(fdt + int(m.group(1), 16) + UBOOT_FDT_PAD <= ramdisk,
          f"the device tree's {m.group(1)} bytes (+ U-Boot's pad) at {fdt:#x} reach the "
          f"ramdisk at {ramdisk:#x}")
    note(f"layout ok: Image {kernel:#x}-{end:#x}, {(fdt - end) // 1024} KiB below the "
         f"device tree at {fdt:#x}; ramdisk at {ramdisk:#x}")


@test("boards.vf2-sdcard")
def t_vf2_sdcard(ctx):
    a = ctx.args
    script = os.path.join(ROOT, "scripts", "mk-vf2-sdcard.sh")
    append = f"console=ttyS0,115200 rivet.token={token()}"
    sd = ctx.path("sdcard.img")
    run([script, "--image", a.image, "--initrd", a.initramfs, "--out", sd,
         "--append", append])
    parts = partitions(sd)
    check(len(parts) == 3, f"expected 3 partitions, found {len(parts)}")
    spl, uboot, boot = parts
    check((spl["start"], spl["size"], spl["type"].upper(), spl.get("name")) ==
          (4096, 4096, GPT_VF2_SPL, "spl"), f"partition 1 is not StarFive's spl slot: {spl}")
    check((uboot["start"], uboot["size"], uboot["type"].upper(), uboot.get("name")) ==
          (8192, 8192, GPT_VF2_UBOOT, "uboot"),
          f"partition 2 is not StarFive's uboot slot: {uboot}")
    check(boot["start"] >= uboot["start"] + uboot["size"], "partition 3 overlaps 2")
    check_boot_partition(sd, boot, a.image, a.initramfs, append)

    uenv = uenv_vars(fat_read(sd, boot, "/vf2_uEnv.txt").decode())
    for name in ("boot2", "bootargs", "kernel_addr_r", "fdt_addr_r", "ramdisk_addr_r",
                 "fdt_high", "initrd_high"):
        check(name in uenv, f"vf2_uEnv.txt does not set {name}")
    check(uenv["bootargs"] == append, f"bootargs {uenv['bootargs']!r} != {append!r}")
    check(uenv["fdt_high"] == uenv["initrd_high"] == "0xffffffffffffffff",
          "fdt_high/initrd_high must keep the tree and ramdisk where boot2 puts them")
    check(uenv.get("rivet_dev") == "mmc", "vf2_uEnv.txt must load from mmc (the SD card)")
    for needed in ("fatload ${rivet_dev} ${bootpart} ${kernel_addr_r} Image",
                   "fatload ${rivet_dev} ${bootpart} ${ramdisk_addr_r} initramfs.cpio"):
        check(needed in uenv["rivet_load"], f"rivet_load does not {needed!r}")
    check("booti ${kernel_addr_r} ${rivet_initrd} ${fdt_addr_r}" in uenv["boot2"],
          f"boot2 does not booti the loaded Image: {uenv['boot2']!r}")
    check_vf2_layout(uenv, a.image)

    # The check fires: a kernel whose image_size reaches 0x46000000 is refused.
    with open(a.image, "rb") as f:
        big = bytearray(f.read())
    big[16:24] = struct.pack("<Q", VF2_FDT_ADDR - VF2_KERNEL_ADDR + 4096)
    big_path = ctx.path("Image.too-big")
    with open(big_path, "wb") as f:
        f.write(big)
    r = subprocess.run([script, "--image", big_path, "--initrd", a.initramfs, "--out",
                        ctx.path("refused.img")], capture_output=True, text=True,
                       timeout=TOOL_TIMEOUT)
    check(r.returncode != 0 and "past the device tree" in r.stderr,
          f"mk-vf2-sdcard.sh accepted a kernel ending past 0x46000000:\n{r.stdout}{r.stderr}")
    check(not os.path.exists(ctx.path("refused.img")), "a refused image was still written")
    note("an Image whose BSS reaches 0x46000000 is refused")


UBOOT_PROMPT = "=> "
QEMU_DRAM, VF2_DRAM = 0x80000000, 0x40000000


def uboot_command(vm, line, timeout=COMMAND_TIMEOUT):
    """Type a line at U-Boot's prompt; return what it printed."""
    vm.send(line + "\r")
    vm.expect(UBOOT_PROMPT, timeout, f"U-Boot's prompt after {line!r}")
    return vm.proc.before.replace("\r", "")


@test("boards.vf2-uenv")
def t_vf2_uenv(ctx):
    """The SD card's vendor hook run by a real U-Boot: QEMU's U-Boot stopped
    at its prompt does what the VisionFive 2's bootcmd does (fatload
    vf2_uEnv.txt from partition 3, env import -t, run boot2), from virtio
    instead of mmc, with the file's addresses moved from the board's DRAM
    base (0x40000000) to QEMU's (0x80000000)."""
    a = ctx.args
    append = f"console=ttyS0,115200 rivet.token={token()}"
    sd = ctx.path("sdcard.img")
    run([os.path.join(ROOT, "scripts", "mk-vf2-sdcard.sh"), "--image", a.image,
         "--initrd", a.initramfs, "--out", sd, "--append", append])
    boot = partitions(sd)[2]
    uenv = uenv_vars(fat_read(sd, boot, "/vf2_uEnv.txt").decode())
    moved = {n: int(uenv[n], 16) - VF2_DRAM + QEMU_DRAM
             for n in ("kernel_addr_r", "fdt_addr_r", "ramdisk_addr_r")}

    with UBootConsole(sd) as vm:
        vm.spawn()
        vm.expect("Hit any key to stop autoboot", 60 * SCALE, "U-Boot's autoboot countdown")
        vm.send("\r")
        vm.expect(UBOOT_PROMPT, COMMAND_TIMEOUT, "U-Boot's prompt")
        # What the vendor bootcmd does (load_vf2_env, importbootenv).
        out = uboot_command(vm, "fatload virtio 0:3 ${scriptaddr} vf2_uEnv.txt")
        check("bytes read" in out, f"U-Boot could not read vf2_uEnv.txt:\n{out}")
        uboot_command(vm, "env import -t ${scriptaddr} ${filesize}")
        out = uboot_command(vm, "printenv bootargs")
        check(f"bootargs={append}" in out, f"env import did not set bootargs:\n{out}")
        uboot_command(vm, "; ".join(f"setenv {n} {v:#x}" for n, v in moved.items()))
        # From a partition without the files, boot2 gives up before booti
        # (so the vendor bootcmd goes on to distro boot).
        uboot_command(vm, "setenv rivet_dev virtio; setenv bootpart 0:1")
        out = uboot_command(vm, "run boot2")
        check("Rivet: booting from virtio 0:1" in out and "Image magic" not in out
              and "Flattened Device Tree" not in out and "Starting kernel" not in out,
              f"boot2 without its files did not stop before booti:\n{out}")
        uboot_command(vm, "setenv bootpart 0:3")
        vm.send("run boot2\r")
        vm.expect("Rivet: booting from virtio 0:3", COMMAND_TIMEOUT, "boot2's first line")
        log = vm.start()
        m = re.search(rf"Using Device Tree in place at 0*{moved['fdt_addr_r']:x}, "
                      r"end ([0-9a-f]+)", log)
        check(m, f"booti did not use the tree boot2 copied to {moved['fdt_addr_r']:#x}")
        check(int(m.group(1), 16) < moved["ramdisk_addr_r"],
              f"booti grew the tree to {m.group(1)}, into the initramfs at "
              f"{moved['ramdisk_addr_r']:#x}")
        check(re.search(rf"^boot: hart \d+, image at {moved['kernel_addr_r']:#x} .*device tree "
                        rf"at {moved['fdt_addr_r']:#x}$", log, re.M),
              "the kernel does not run at kernel_addr_r with the tree at fdt_addr_r")
        size_kib = os.path.getsize(a.initramfs) // 1024
        check(re.search(rf"^boot: initramfs at {moved['ramdisk_addr_r']:#x}, {size_kib} KiB$",
                        log, re.M),
              f"the kernel did not get the {size_kib} KiB initramfs at ramdisk_addr_r")
        check(re.search(rf'^boot: command line "{re.escape(append)}"$', log, re.M),
              "the kernel's command line is not vf2_uEnv.txt's bootargs")
        out = vm.run("cat /proc/cmdline")
        check(out == append, f"/proc/cmdline {out!r} != {append!r}")
        note(f"boot2 ran on U-Boot: Image {moved['kernel_addr_r']:#x}, tree "
             f"{moved['fdt_addr_r']:#x}, initramfs {moved['ramdisk_addr_r']:#x}")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


@test("boards.vf2-extlinux")
def t_vf2_extlinux(ctx):
    """The SD card as mainline U-Boot's distro boot sees it: of its three
    partitions only the third is marked bootable, and it boots from there."""
    a = ctx.args
    append = f"console=ttyS0,115200 rivet.token={token()}"
    sd = ctx.path("sdcard.img")
    run([os.path.join(ROOT, "scripts", "mk-vf2-sdcard.sh"), "--image", a.image,
         "--initrd", a.initramfs, "--out", sd, "--append", append])
    boot_extlinux(ctx, sd, 3, append)


# ---- the VisionFive 2 description on QEMU virt -----------------------------------------

@test("boards.visionfive2-mimic")
def t_visionfive2_mimic(ctx):
    dtb = ctx.args.mimic_dtb
    check(dtb and os.path.exists(dtb), f"{dtb} not built")
    vm = Rivet(ctx.args.image, mem="256M", smp=5, dtb=dtb)
    dt = vm.dump_dtb(ctx.path("qemu.dtb"))
    timebase = fdt_cells(dt, "/cpus", "timebase-frequency")[0]
    check(timebase == 4000000, f"the mimic tree's timebase is {timebase}, not the JH7110's 4 MHz")
    with vm:
        log = vm.start()
        h = boot_tests.handover(log)
        check(h["hart"] != 0, "booted on hart 0, the monitor core")
        harts = boot_tests.check_harts(vm, log, dt, 4)
        check(0 not in [x["id"] for x in harts], "hart 0 (no MMU) is listed as a kernel hart")
        check(re.search(r"^cpus: 4 harts with an MMU, 1 skipped", log, re.M),
              "the boot log does not say one hart (hart 0) was skipped")
        boot_tests.check_cmdline(vm, log, dt)
        boot_tests.check_memory(ctx, vm, log, dt)
        check(re.search(r"^plic: .* boot hart context (\d+)", log, re.M), "no plic line")
        ctx_id = int(re.search(r"boot hart context (\d+)", log).group(1))
        check(ctx_id == 2 * h["hart"] + 1, f"PLIC context {ctx_id} for hart {h['hart']}: "
              "the S-mode entry of interrupts-extended is 2*hart+1 in this tree")

        # Time: the kernel computes with the tree's 4 MHz. QEMU's counter runs
        # at 10 MHz, so the kernel's uptime must run about 2.5 times wall
        # time; with a hard-coded 10 MHz it would run at wall time.
        check(re.search(rf"^timer: timebase {timebase} Hz", log, re.M),
              "boot log 'timer:' line does not show the tree's timebase")
        w1 = time.monotonic()
        _, _, up1, tb1 = parse_ticks(vm.command("ticks"))
        w2 = time.monotonic()
        time.sleep(2)
        w3 = time.monotonic()
        _, _, up2, tb2 = parse_ticks(vm.command("ticks"))
        w4 = time.monotonic()
        check(tb1 == tb2 == timebase, f"'ticks' timebase {tb1}/{tb2} != {timebase}")
        ratio_lo = (up2 - up1) / ((w4 - w1) * 1000)
        ratio_hi = (up2 - up1) / ((w3 - w2) * 1000)
        note(f"uptime {up1} -> {up2} ms over {(w3 - w2):.2f}..{(w4 - w1):.2f} s of wall "
             f"time: {ratio_lo:.2f}..{ratio_hi:.2f} times wall time (10 MHz / 4 MHz = 2.5)")
        check(ratio_hi >= 2.0 and ratio_lo <= 3.0,
              f"uptime ran {ratio_lo:.2f}..{ratio_hi:.2f} times wall time, expected about "
              "2.5: the kernel does not compute with the tree's timebase")
        check(vm.poweroff() == 0, f"poweroff: QEMU exit status {vm.status}")


# ---- driver -----------------------------------------------------------------------------

def main():
    p = test_parser(__doc__)
    p.add_argument("--initramfs", help="the busybox initramfs (build/rootfs/initramfs.cpio)")
    p.add_argument("--mimic-dtb", help="the compiled dts/visionfive2-mimic.dts")
    args = parse_test_args(p, TESTS)
    for path in (args.image, args.initramfs):
        check(path and os.path.exists(path), f"{path} does not exist: build it first")
    return run_test(TESTS, args.test, args.workdir, args.budget,
                    lambda tmp: boot_tests.Ctx(args, tmp))


if __name__ == "__main__":
    sys.exit(main())
