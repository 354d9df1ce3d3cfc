#!/usr/bin/python3
"""Console tests: boot the busybox initramfs and use its shell on the serial
console the way a person would, checking what the commands really print
(file contents, listings, exit statuses via `echo $?`).

    console_tests.py --kernel build/Image --initrd build/rootfs/initramfs.cpio TEST
    console_tests.py --kernel LINUX-IMAGE --linux --initrd ... TEST   (the reference)
    console_tests.py --list

One QEMU boot per test (a test is a short session of related commands), so
each ctest case fails on its own and they run in parallel (ctest -j). With
--linux the same session runs on the reference Linux kernel
(scripts/fetch-linux.sh), which is how the expectations were checked.
"""

import argparse
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from busybox_console import (  # noqa: E402
    BOOT_TIMEOUT, COMMAND_TIMEOUT, SCALE, Console, TestFailure, check, note)

TESTS = {}
SMP = {}  # harts a test boots with, when not 1

# Representative sessions that also run on 4 harts, as console.smp4.NAME.
SMP4_VARIANTS = ("console.pipes", "console.jobs", "console.ps-kill", "console.ctrl-c",
                 "console.files")


def test(name, smp=1):
    def register(fn):
        TESTS[name] = fn
        if smp != 1:
            SMP[name] = smp
        return fn
    return register


def lines(text):
    return text.split("\n") if text else []


# ---- the shell itself ---------------------------------------------------------

@test("console.prompt")
def t_prompt(vm):
    """Boot to the login shell's prompt from /etc/profile (user, host, ~)."""
    check(vm.cwd_prompt == "root@rivet:~# ",
          f"first prompt is {vm.cwd_prompt!r}, wanted 'root@rivet:~# '")


@test("console.commands")
def t_commands(vm):
    """Typed commands run; exit statuses through `echo $?`; variables."""
    vm.expect_output("echo hello, world", "hello, world")
    vm.expect_output("pwd", "/root")
    vm.sh("true")
    check(vm.last_status() == 0, "true: status not 0")
    vm.sh("false")
    check(vm.last_status() == 1, "false: status not 1")
    vm.sh("(exit 42)")
    check(vm.last_status() == 42, "(exit 42): status not 42")
    out = vm.run("nosuchcommand", status=127)
    check("nosuchcommand: not found" in out, f"unknown command printed {out!r}")
    vm.expect_output("echo $((6 * 7)) ${HOME} $USER", "42 /root root")


@test("console.boot-messages")
def t_boot_messages(vm):
    """/etc/init.d/rcS (mounts, hostname) and the shell start without complaint."""
    start = vm.boot_log.find("/init")
    userland = vm.boot_log[start:] if start >= 0 and not vm.linux else vm.boot_log
    # sysfs is console.sysfs's business: Rivet may never have one.
    bad = [l for l in lines(userland)
           if re.search(r"failed|not implemented|can't|No such|job control turned off", l)
           and "mounting sysfs" not in l]
    check(not bad, "complaints during boot:\n" + "\n".join(bad))


@test("console.identity")
def t_identity(vm):
    """Users from /etc/passwd, the hostname set by rcS, uname."""
    vm.expect_output("id", "uid=0(root) gid=0(root)")
    vm.expect_output("hostname", "rivet")
    vm.expect_output("uname -snm", "Linux rivet riscv64")
    vm.expect_output("cat /etc/hostname", "rivet")


@test("console.mounts")
def t_mounts(vm):
    """/etc/fstab through `mount -a` in rcS: proc, devpts, tmpfs on /tmp."""
    out = vm.run("mount")
    for want in ("proc on /proc type proc", "devpts on /dev/pts type devpts",
                 "tmpfs on /tmp type tmpfs"):
        check(any(l.startswith(want) for l in lines(out)), f"no '{want}' in mount:\n{out}")
    vm.expect_output("cat /proc/self/comm", "cat")
    vm.run("test -d /proc/1")
    vm.run("echo kept > /tmp/f")
    vm.expect_output("cat /tmp/f", "kept")


@test("console.sysfs")
def t_sysfs(vm):
    """sysfs on /sys (rcS mounts it from /etc/fstab). Rivet's sysfs is an
    empty read-only directory (no device model to show yet), so only the
    mount itself is checked, read-only as on Linux's."""
    out = vm.run("mount")
    check(any(l.startswith("sysfs on /sys type sysfs") for l in lines(out)),
          f"no sysfs in mount:\n{out}")
    vm.run("test -d /sys")


# ---- plumbing -----------------------------------------------------------------

@test("console.pipes")
def t_pipes(vm):
    """Pipelines, their exit status, command substitution."""
    vm.expect_output("echo hello | tr a-z A-Z", "HELLO")
    vm.expect_output("seq 1 100 | grep 7 | wc -l", "19")
    vm.sh("true | false")
    check(vm.last_status() == 1, "true | false: status not 1")
    vm.sh("false | true")
    check(vm.last_status() == 0, "false | true: status not 0")
    vm.expect_output("echo [$(echo inner)] `echo back`", "[inner] back")
    # The writer gets SIGPIPE when head is done: the pipeline must end.
    vm.expect_output("yes | head -n 3", "y\ny\ny")


@test("console.redirect")
def t_redirect(vm):
    """>, >>, <, 2>, 2>&1, >&2."""
    vm.run("echo one > f")
    vm.run("echo two >> f")
    vm.expect_output("cat f", "one\ntwo")
    vm.expect_output("wc -l < f", "2")
    vm.run("echo three > f")
    vm.expect_output("cat f", "three")
    missing = "ls: /nonexistent: No such file or directory"
    vm.run("ls /nonexistent > out 2>&1", status=1)
    vm.expect_output("cat out", missing)
    vm.run("ls /nonexistent 2> err > /dev/null", status=1)
    vm.expect_output("cat err", missing)
    vm.expect_output("(echo to-out; echo to-err >&2) 2>/dev/null", "to-out")
    vm.expect_output("(echo to-out; echo to-err >&2) >/dev/null 2>&1", "")
    vm.expect_output("cat < /etc/hostname", "rivet")


@test("console.glob")
def t_glob(vm):
    """*, ?, [..], hidden files, a pattern that matches nothing."""
    vm.run("mkdir g && cd g && touch a.txt b.txt c.log .hidden")
    vm.expect_output("echo *", "a.txt b.txt c.log")
    vm.expect_output("echo *.txt", "a.txt b.txt")
    vm.expect_output("echo ?.log", "c.log")
    vm.expect_output("echo [ab]*", "a.txt b.txt")
    vm.expect_output("echo .h*", ".hidden")
    vm.expect_output("echo *.none", "*.none")
    vm.expect_output("echo ~/g/b*", "/root/g/b.txt")


# ---- files ----------------------------------------------------------------------

@test("console.ls")
def t_ls(vm):
    """ls -l: type, mode, links, owner, group, size, name; ls -a, -1."""
    vm.run("mkdir d && printf abc > d/f3 && chmod 640 d/f3 && ln -s f3 d/l")
    out = vm.run("ls -l d/f3")
    m = re.fullmatch(r"(\S{10})\s+(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+.+\s(\S+)", out)
    check(m, f"ls -l printed {out!r}")
    check(m.groups()[:5] == ("-rw-r-----", "1", "root", "root", "3") and m.group(6) == "d/f3",
          f"ls -l fields {m.groups()}")
    out = vm.run("ls -ld d")
    check(out.startswith("drwxr-xr-x "), f"ls -ld d printed {out!r}")
    out = vm.run("ls -l d/l")
    check(out.startswith("lrwxrwxrwx ") and out.endswith("d/l -> f3"), f"ls -l d/l: {out!r}")
    vm.expect_output("ls -1 d", "f3\nl")
    vm.expect_output("ls -a d", ".   ..  f3  l")


@test("console.files")
def t_files(vm):
    """cp, cp -r, mv (file and directory), rm, rm -r, and their errors."""
    vm.run("printf 'data\\n' > a")
    vm.run("cp a b")
    vm.expect_output("cat b", "data")
    vm.run("cmp a b")
    vm.run("mkdir -p d/e && echo x > d/e/f")
    vm.run("cp -r d d2")
    vm.expect_output("cat d2/e/f", "x")
    vm.run("mv b c")
    vm.run("test -e b", status=1)
    vm.expect_output("cat c", "data")
    vm.run("mv d2 d3")
    vm.expect_output("ls d3/e", "f")
    vm.run("rm -r d3")
    vm.run("test -e d3", status=1)
    vm.run("rm c")
    vm.expect_output("ls", "a  d")
    out = vm.run("rm nosuch", status=1)
    check(out == "rm: can't remove 'nosuch': No such file or directory", f"rm nosuch: {out!r}")
    out = vm.run("rm d", status=1)
    check(out == "rm: 'd' is a directory", f"rm d: {out!r}")


@test("console.find")
def t_find(vm):
    """find by name and type; results sorted with sort (no pipe needed)."""
    vm.run("mkdir -p t/a/b t/c && touch t/a/x.c t/a/b/y.c t/c/z.h")
    vm.run("find t -name '*.c' > l")
    vm.expect_output("sort l", "t/a/b/y.c\nt/a/x.c")
    vm.run("find t -type d > l")
    vm.expect_output("sort l", "t\nt/a\nt/a/b\nt/c")
    vm.run("find t -type f > l")
    vm.expect_output("wc -l < l", "3")
    vm.expect_output("find t -name z.h -exec cat /etc/hostname ';'", "rivet")


@test("console.text")
def t_text(vm):
    """grep, sed (also -i), awk on a small table."""
    vm.run("printf 'apple 3\\nbanana 5\\ncherry 7\\nApple 11\\n' > fruit")
    vm.expect_output("grep apple fruit", "apple 3")
    vm.expect_output("grep -i apple fruit", "apple 3\nApple 11")
    vm.expect_output("grep -c an fruit", "1")
    vm.expect_output("grep -v a fruit", "cherry 7\nApple 11")
    vm.run("grep durian fruit", status=1)
    vm.expect_output("sed -n 2p fruit", "banana 5")
    vm.expect_output("sed 's/a/A/g;3d' fruit", "Apple 3\nbAnAnA 5\nApple 11")
    vm.run("sed -i 's/cherry/CHERRY/' fruit")
    vm.expect_output("grep -n CHERRY fruit", "3:CHERRY 7")
    vm.expect_output("awk '{ s += $2 } END { print s, NR }' fruit", "26 4")
    vm.expect_output("awk '$2 > 4 { print $1 }' fruit", "banana\nCHERRY\nApple")
    vm.expect_output("awk -F: '$1 == \"root\" { print $7 }' /etc/passwd", "/bin/sh")


@test("console.tar")
def t_tar(vm):
    """tar: create, list, extract elsewhere, same contents."""
    vm.run("mkdir -p src/sub && echo one > src/a && echo two > src/sub/b")
    vm.run("tar -cf t.tar src")
    out = vm.run("tar -tf t.tar")
    check(sorted(lines(out)) == ["src/", "src/a", "src/sub/", "src/sub/b"],
          f"tar -tf listed:\n{out}")
    vm.run("mkdir out && tar -xf t.tar -C out")
    vm.expect_output("cat out/src/a out/src/sub/b", "one\ntwo")
    vm.run("cmp src/sub/b out/src/sub/b")
    vm.run("tar -xf nosuch.tar", status=1)


def open_vi(vm, name):
    """Start vi on name and answer its terminal-size query (ESC [6n) the way
    a 24x80 terminal does; returns when vi has drawn its status line."""
    vm.type(f"vi {name}")
    vm.key("\r")
    vm.expect("\x1b[6n", COMMAND_TIMEOUT, "vi's cursor position query")
    vm.key("\x1b[24;80R")
    vm.expect(f"{name} 1/", COMMAND_TIMEOUT, "vi's status line")


def vi_keys(vm, *groups):
    """Type groups of keys; a pause after each, so an ESC that ends a group
    is taken as the Escape key, not the start of an escape sequence."""
    for keys in groups:
        vm.key(keys)
        time.sleep(0.5 * SCALE)


@test("console.vi")
def t_vi(vm):
    """vi: insert, save and quit; open again, append a line, save."""
    open_vi(vm, "note.txt")
    vi_keys(vm, "iHello from vi\x1b", ":wq\r")
    vm.expect_prompt(COMMAND_TIMEOUT, "the prompt after :wq")
    vm.expect_output("cat note.txt", "Hello from vi")
    open_vi(vm, "note.txt")
    vi_keys(vm, "A, again\x1b", "osecond line\x1b", ":wq\r")
    vm.expect_prompt(COMMAND_TIMEOUT, "the prompt after :wq")
    vm.expect_output("cat note.txt", "Hello from vi, again\nsecond line")


# ---- jobs and signals --------------------------------------------------------------

def start_foreground(vm, line):
    """Type line, Enter, and wait until the shell has echoed it (it runs)."""
    vm.type(line)
    vm.key("\r")
    vm.expect("\n", COMMAND_TIMEOUT, f"the echo of '{line}'")
    time.sleep(1.0 * SCALE)   # give the child time to start and block


@test("console.ctrl-c")
def t_ctrl_c(vm):
    """^C ends a foreground `sleep 100` (status 130); the shell stays."""
    start_foreground(vm, "sleep 100")
    t0 = time.monotonic()
    vm.key("\x03")
    vm.expect_prompt(30 * SCALE, "the prompt after ^C")
    check(time.monotonic() - t0 < 30 * SCALE, "^C did not end sleep 100")
    check(vm.last_status() == 130, "sleep 100 after ^C: status not 130 (128 + SIGINT)")
    vm.expect_output("echo still here", "still here")


@test("console.ctrl-z")
def t_ctrl_z(vm):
    """^Z stops `sleep 3`, jobs lists it, fg resumes it to a normal end."""
    start_foreground(vm, "sleep 3")
    vm.key("\x1a")
    out = vm.expect_prompt(30 * SCALE, "the prompt after ^Z")
    check("Stopped" in out, f"no 'Stopped' after ^Z:\n{out}")
    check(vm.last_status() == 148, "status after ^Z not 148 (128 + SIGTSTP)")
    out = vm.run("jobs")
    check(re.fullmatch(r"\[1\]\+\s+Stopped\s+sleep 3", out), f"jobs printed {out!r}")
    out = vm.run("fg", timeout=30 * SCALE)
    check(out == "sleep 3", f"fg printed {out!r}")
    vm.expect_output("jobs", "")


@test("console.jobs")
def t_jobs(vm):
    """Background jobs with &, $!, jobs, wait and wait's status."""
    vm.run("sleep 2 &")
    pid = vm.run("echo $!")
    out = vm.run("jobs -l")
    check(re.fullmatch(rf"\[1\]\+\s+{pid}\s+Running\s+sleep 2", out), f"jobs -l printed {out!r}")
    vm.run("wait", timeout=30 * SCALE)
    vm.expect_output("jobs", "")
    vm.sh("(sleep 1; exit 7) &")
    vm.run("wait $!", status=7, timeout=30 * SCALE)
    vm.sh("sleep 1 & sleep 1 &")
    t0 = time.monotonic()
    vm.run("wait", timeout=30 * SCALE)
    vm.expect_output("jobs", "")
    note(f"wait for two sleeps took {time.monotonic() - t0:.1f} s")


@test("console.ps-kill")
def t_ps_kill(vm):
    """ps shows init and a background sleep; kill ends it (wait: 143)."""
    vm.sh("sleep 100 &")
    pid = vm.run("echo $!")
    out = vm.run("ps")
    check(re.match(r"\s*PID\s+USER\s+TIME\s+COMMAND", lines(out)[0]), f"ps header:\n{out}")
    check(re.search(rf"^\s*{pid}\s+root\s+\S+\s+sleep 100$", out, re.M),
          f"no 'sleep 100' with pid {pid} in ps:\n{out}")
    check(re.search(r"^\s*1\s+root\s+\S+\s+(/init|init)", out, re.M), f"no init in ps:\n{out}")
    # In one line: wait reaps it before the shell could report "Terminated".
    vm.run(f"kill {pid}; wait {pid}", status=143)
    out = vm.run("ps")
    check(not re.search(rf"^\s*{pid}\s", out, re.M), f"pid {pid} still in ps:\n{out}")
    vm.run("kill -0 1")
    out = vm.run("kill -0 99999", status=1)
    check("No such process" in out, f"kill -0 99999 printed {out!r}")


@test("console.top")
def t_top(vm):
    """top -n 1: one screen with memory, load and a process table."""
    out = vm.run("top -n 1")
    for want in (r"^Mem: \d+K used, \d+K free", r"^Load average: [\d.]+ [\d.]+ [\d.]+",
                 r"^\s*PID\s+PPID\s+USER\s+STAT", r"\btop -n 1\s*$"):
        check(re.search(want, out, re.M), f"no /{want}/ in top's screen:\n{out}")


@test("console.sysinfo")
def t_sysinfo(vm):
    """free against QEMU's -m, uptime, /proc/meminfo through a pipe, dmesg
    with the kernel's banner."""
    out = vm.run("free")
    m = re.search(r"^Mem:\s+(\d+)\s+(\d+)\s+(\d+)", out, re.M)
    check(m, f"free printed:\n{out}")
    total = int(m.group(1))
    check(128 * 1024 < total <= 256 * 1024, f"free: total {total} KiB under -m 256M")
    out = vm.run("uptime")
    check(re.search(r"up .*load average: [\d.]+, [\d.]+, [\d.]+", out), f"uptime: {out!r}")
    # cat of a generated /proc file into a pipe (busybox cat tries sendfile first).
    vm.expect_output("cat /proc/meminfo | head -1 | cut -d: -f1", "MemTotal")
    out = vm.run("dmesg")
    banner = "Linux version" if vm.linux else "Rivet framekernel"
    check(banner in out, f"no '{banner}' in dmesg:\n{out[-2000:]}")


# ---- the end of a session -------------------------------------------------------------

@test("console.smp", smp=4)
def t_smp(vm):
    """On 4 harts: nproc, /proc/cpuinfo and the affinity mask all say 4."""
    vm.expect_output("nproc", "4")
    vm.expect_output("grep -c ^processor /proc/cpuinfo", "4")
    vm.expect_output("grep ^processor /proc/cpuinfo | tr -d ' \\t'",
                     "processor:0\nprocessor:1\nprocessor:2\nprocessor:3")
    vm.expect_output("taskset -p $$ | sed 's/.*: //'", "f")


@test("console.poweroff")
def t_poweroff(vm):
    """poweroff: init shuts down and QEMU ends with status 0."""
    status = vm.poweroff()
    check(status == 0, f"QEMU exited with {status} after poweroff")


@test("console.reboot")
def t_reboot(vm):
    """reboot: the machine starts again (OpenSBI, a fresh /root), then poweroff."""
    vm.run("echo before > marker")
    vm.type("reboot")
    vm.key("\r")
    vm.expect("OpenSBI v", BOOT_TIMEOUT, "the firmware banner after reboot")
    vm.expect_prompt(BOOT_TIMEOUT, "the shell prompt after reboot")
    vm.run("test -e marker", status=1)
    check(vm.poweroff() == 0, "poweroff after reboot did not end QEMU with status 0")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--linux", action="store_true", help="the kernel is the reference Linux")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("test", nargs="?")
    args = ap.parse_args()
    for name in SMP4_VARIANTS:
        variant = name.replace("console.", "console.smp4.", 1)
        TESTS[variant] = TESTS[name]
        SMP[variant] = 4
    if args.list:
        print("\n".join(TESTS))
        return 0
    if args.test not in TESTS or not args.kernel or not args.initrd:
        ap.error(f"need --kernel, --initrd and one of: {' '.join(TESTS)}")
    note(f"{args.test}: {TESTS[args.test].__doc__}")
    try:
        with Console(args.kernel, args.initrd, linux=args.linux,
                     smp=SMP.get(args.test, 1)) as vm:
            vm.start()
            # QEMU is killed afterwards: only console.poweroff depends on poweroff.
            TESTS[args.test](vm)
    except TestFailure as e:
        print(f"\nFAIL {args.test}: {e}", flush=True)
        return 1
    print(f"\nPASS {args.test}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
