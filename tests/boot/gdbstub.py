"""A minimal client of QEMU's gdbstub (the GDB remote serial protocol), for
tests that change the machine between the firmware and the kernel: stop at
the kernel's entry, read or rewrite what the firmware handed over (a1, the
device tree), then let it run.

    stub = GdbStub(port)                 # QEMU started with -S -gdb tcp:127.0.0.1:port
    tid = stub.run_to(0x80200000)        # hardware breakpoint, continue, stop
    a1 = stub.reg(tid, 11)
    stub.write_mem(a1, b"junk")
    stub.detach()                        # QEMU runs on

Every wait is bounded; a protocol error raises TestFailure.
"""

import re
import socket
import time

from rivet_qemu import SCALE, TestFailure, check

REG_PC = 32


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class GdbStub:
    def __init__(self, port, timeout=30 * SCALE):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TestFailure(f"no gdbstub on port {port}") from None
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.buf = b""

    def _byte(self):
        if not self.buf:
            try:
                self.buf = self.sock.recv(65536)
            except socket.timeout:
                raise TestFailure("gdbstub: no reply") from None
            check(self.buf, "gdbstub: connection closed")
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def _send(self, data):
        cs = sum(data.encode()) & 0xFF
        self.sock.sendall(f"${data}#{cs:02x}".encode())

    def _reply(self):
        while True:  # skip acks ('+') and anything before the packet
            b = self._byte()
            if b == b"$":
                break
        body = b""
        while (b := self._byte()) != b"#":
            body += b
        self._byte(), self._byte()  # checksum: TCP already guards the bytes
        self.sock.sendall(b"+")
        return body.decode()

    def cmd(self, data):
        self._send(data)
        return self._reply()

    def ok(self, data):
        r = self.cmd(data)
        check(r == "OK", f"gdbstub: {data[:40]!r} answered {r!r}")

    def run_to(self, addr):
        """Hardware breakpoint at addr, continue until a hart stops there;
        returns its thread id. The breakpoint is removed again."""
        self.ok(f"Z1,{addr:x},4")
        self._send("c")
        stop = self._reply()
        m = re.match(r"T05.*?thread:([0-9a-fA-F.p]+);", stop)
        check(m, f"gdbstub: unexpected stop reply {stop!r}")
        tid = m.group(1)
        self.ok(f"Hg{tid}")
        check(self.reg(tid, REG_PC) == addr, f"stopped at {self.reg(tid, REG_PC):#x}")
        self.ok(f"z1,{addr:x},4")
        return tid

    # 'g'/'G' (all of x0-x31 and pc, 8 bytes each, little endian): QEMU 7.2
    # answers 'p'/'P' only to a client that fetched its target description.
    def regs(self, tid):
        self.ok(f"Hg{tid}")
        r = self.cmd("g")
        check(re.fullmatch(r"([0-9a-f]{16}){33,}", r), f"gdbstub: registers: {r[:80]!r}")
        return r

    def reg(self, tid, n):
        r = self.regs(tid)
        return int.from_bytes(bytes.fromhex(r[16 * n:16 * n + 16]), "little")

    def set_reg(self, tid, n, value):
        r = self.regs(tid)
        r = r[:16 * n] + value.to_bytes(8, "little").hex() + r[16 * n + 16:]
        self.ok(f"G{r}")
        check(self.reg(tid, n) == value, f"gdbstub: register {n} did not take {value:#x}")

    def read_mem(self, addr, size):
        out = b""
        while len(out) < size:
            n = min(1024, size - len(out))
            r = self.cmd(f"m{addr + len(out):x},{n:x}")
            check(re.fullmatch(r"([0-9a-f]{2})+", r), f"gdbstub: read {addr:#x}: {r!r}")
            out += bytes.fromhex(r)
        return out

    def write_mem(self, addr, data):
        for off in range(0, len(data), 1024):
            chunk = data[off:off + 1024]
            self.ok(f"M{addr + off:x},{len(chunk):x}:{chunk.hex()}")

    def detach(self):
        self.cmd("D")
        self.sock.close()
