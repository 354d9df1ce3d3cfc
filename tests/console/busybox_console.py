"""Drive the busybox shell on the serial console, the way a person would.

    with Console(image, initrd) as vm:          # Rivet, or linux=True for the reference
        vm.start()                              # boot to the first shell prompt
        out = vm.sh("ls /etc")                  # the output, echo and prompt removed
        vm.run("cp a b")                        # ... and `echo $?` must say 0
        vm.poweroff()                           # QEMU's exit status

Built on tests/boot/rivet_qemu.py (QEMU's lifetime, bounded waits, the
transcript in the ctest log); this adds what a shell session needs: the
shell's prompt instead of the monitor's, the echo of the typed line taken
off the output, terminal escape sequences (ls colours, line-editing
redraws) stripped, and exit statuses read the way a person reads them,
with `echo $?`.

The same session drives the reference Linux kernel (linux=True): the same
initramfs, the same keystrokes, so every expectation is held to Linux.
"""

import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "boot"))
from rivet_qemu import (  # noqa: E402
    BOOT_TIMEOUT, COMMAND_TIMEOUT, EXIT_TIMEOUT, SCALE, Rivet, TestFailure, check, note)

__all__ = ["Console", "TestFailure", "check", "note", "BOOT_TIMEOUT", "COMMAND_TIMEOUT",
           "EXIT_TIMEOUT", "SCALE"]

# /etc/profile's PS1 '\u@\h:\w\$ ' for root on host "rivet": root@rivet:~/dir#
PROMPT = re.compile(r"root@rivet:(~|/)[^\r\n#]*# ")
# CSI sequences (colours, cursor moves, erase) and the other two-byte escapes.
ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
# Busybox line editing fills the line up to the terminal width: keep the
# prompt plus the typed line inside 80 columns, so nothing wraps.
MAX_LINE = 80


def plain(text):
    """Console text as a person reads it: no escapes, no carriage returns."""
    return ESCAPES.sub("", text).replace("\r", "")


class Console(Rivet):
    def __init__(self, kernel, initrd, linux=False, mem="256M", append=None, extra=(), **kw):
        if linux and append is None:
            # The reference kernel's own messages would interleave with the shell.
            append = "console=ttyS0 quiet"
        super().__init__(kernel, mem=mem, append=append,
                         extra=["-initrd", initrd] + list(extra), **kw)
        self.linux = linux
        self.cwd_prompt = None

    def start(self, timeout=BOOT_TIMEOUT):
        """Boot to the first shell prompt; returns the console output until it."""
        if self.proc is None:
            self.spawn()
        t0 = time.monotonic()
        self.expect_prompt(timeout, "the first shell prompt")
        self.boot_log = plain(self.proc.before)
        note(f"booted to the shell prompt in {time.monotonic() - t0:.1f} s")
        return self.boot_log

    def expect_prompt(self, timeout=COMMAND_TIMEOUT, what="the shell prompt"):
        self.expect(PROMPT, timeout, what, exact=False)
        self.cwd_prompt = self.proc.match.group(0)
        return plain(self.proc.before)

    def type(self, line):
        """Type a line (without Enter), one keystroke after another."""
        check(len(self.cwd_prompt or "") + len(line) < MAX_LINE,
              f"test bug: {line!r} would wrap on an 80-column console")
        self.proc.send(line)

    def sh(self, line, timeout=COMMAND_TIMEOUT):
        """Type a command line, wait for the next prompt, return the output
        in between (lines joined by '\\n'), without the echoed line."""
        self.type(line)
        self.proc.send("\r")
        out = self.expect_prompt(timeout, f"the prompt after '{line}'")
        echo, _, rest = out.partition("\n")
        check(echo.endswith(line), f"'{line}' echoed as {echo!r}")
        return rest.rstrip("\n")

    def last_status(self):
        """The exit status of the last command, as `echo $?` prints it."""
        out = self.sh("echo $?")
        check(re.fullmatch(r"\d+", out), f"'echo $?' printed {out!r}")
        return int(out)

    def run(self, line, status=0, timeout=COMMAND_TIMEOUT):
        """sh(line), then check its exit status; returns the output."""
        out = self.sh(line, timeout)
        got = self.last_status()
        check(got == status, f"'{line}' exited with {got}, wanted {status}; output:\n{out}")
        return out

    def expect_output(self, line, want, status=0, timeout=COMMAND_TIMEOUT):
        """run(line) and require its output to equal want exactly."""
        out = self.run(line, status, timeout)
        check(out == want, f"'{line}' printed:\n{out!r}\nwanted:\n{want!r}")
        return out

    def key(self, keys):
        """Send raw keystrokes (e.g. '\\x03' for Ctrl-C) without waiting."""
        self.proc.send(keys)

    def poweroff(self, timeout=EXIT_TIMEOUT):
        self.type("poweroff")
        self.proc.send("\r")
        return self.wait_exit(timeout)
