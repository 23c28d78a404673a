#!/usr/bin/env python3
"""refsim: a small, slow reference model of the rvjit bare machine (README.md).

Written from the machine contract only, as an independent check of the bare
guest programs and to produce expected/*.stdout. It models RV32I + Zicsr +
Zifencei, M and U modes, HTIF, the CLINT and `--deterministic` time
(mtime = instructions retired / 10 + ticks skipped by wfi).

Usage: refsim.py [--trap-misaligned] [--deterministic] [--priv mu] [--max N] [--perturb] ELF
(--perturb counts ecall as retired, against the contract: a robustness probe.)
Writes the guest's console output to stdout, exits with the guest's status
(124 if --max instructions ran out). Time is always deterministic here;
--deterministic is accepted so programs.tsv flags can be passed through.
"""
import struct
import sys

RAM_BASE, RAM_SIZE = 0x80000000, 128 << 20
CLINT_BASE = 0x02000000
M32 = 0xFFFFFFFF
MASK64 = (1 << 64) - 1


class Trap(Exception):
    def __init__(self, cause, tval=0):
        self.cause, self.tval = cause, tval


class Halt(Exception):
    def __init__(self, status):
        self.status = status


def load_elf(path):
    data = open(path, 'rb').read()
    assert data[:4] == b'\x7fELF' and data[4] == 1, 'not an ELF32'
    entry, phoff, shoff = struct.unpack_from('<III', data, 24)
    phentsize, phnum, shentsize, shnum = struct.unpack_from('<HHHH', data, 42)
    segments = []
    for i in range(phnum):
        p_type, off, vaddr, paddr, filesz, memsz = struct.unpack_from('<IIIIII', data, phoff + i * phentsize)
        if p_type == 1:
            segments.append((paddr, data[off:off + filesz], memsz))
    symbols = {}
    sections = [struct.unpack_from('<IIIIIIIIII', data, shoff + i * shentsize) for i in range(shnum)]
    for sh in sections:
        if sh[1] == 2:  # SHT_SYMTAB
            strtab = sections[sh[6]]
            for j in range(sh[5] // 16):
                name, value, size, info, other, shndx = struct.unpack_from('<IIIBBH', data, sh[4] + j * 16)
                end = data.index(b'\0', strtab[4] + name)
                symbols[data[strtab[4] + name:end].decode()] = value
    return entry, segments, symbols


def sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


class Machine:
    def __init__(self, path, trap_misaligned=False):
        entry, segments, symbols = load_elf(path)
        self.ram = bytearray(RAM_SIZE)
        for addr, blob, memsz in segments:
            assert RAM_BASE <= addr and addr + memsz <= RAM_BASE + RAM_SIZE, 'segment outside RAM'
            self.ram[addr - RAM_BASE:addr - RAM_BASE + len(blob)] = blob
        self.tohost = symbols.get('tohost')
        self.fromhost = symbols.get('fromhost')
        self.x = [0] * 32
        self.pc = entry
        self.priv = 3
        self.instret = 0
        self.idle = 0
        self.mstatus = self.mtvec = self.mepc = self.mcause = self.mtval = 0
        self.mscratch = self.mie = self.mcounteren = 0
        self.cycle_off = self.instret_off = 0
        self.mtimecmp = MASK64
        self.msip = 0
        self.trap_misaligned = trap_misaligned
        self.out = bytearray()
        self.ticks_taken = 0
        self.ecall_retires = False

    # ---- time ----
    def mtime(self):
        return self.instret // 10 + self.idle

    # ---- memory ----
    def load(self, addr, size, signed):
        if self.trap_misaligned and addr % size:
            raise Trap(4, addr)
        if RAM_BASE <= addr and addr + size <= RAM_BASE + RAM_SIZE:
            v = int.from_bytes(self.ram[addr - RAM_BASE:addr - RAM_BASE + size], 'little')
        elif CLINT_BASE <= addr < CLINT_BASE + 0x10000:
            v = self.clint_read(addr - CLINT_BASE) & ((1 << (8 * size)) - 1)
        else:
            raise Trap(5, addr)
        return sext(v, 8 * size) & M32 if signed else v

    def store(self, addr, size, value):
        if self.trap_misaligned and addr % size:
            raise Trap(6, addr)
        value &= (1 << (8 * size)) - 1
        if RAM_BASE <= addr and addr + size <= RAM_BASE + RAM_SIZE:
            o = addr - RAM_BASE
            self.ram[o:o + size] = value.to_bytes(size, 'little')
            if addr == self.tohost:
                self.htif()
        elif CLINT_BASE <= addr < CLINT_BASE + 0x10000:
            self.clint_write(addr - CLINT_BASE, value)
        else:
            raise Trap(7, addr)

    def word(self, addr):
        o = addr - RAM_BASE
        return int.from_bytes(self.ram[o:o + 4], 'little')

    def setword(self, addr, v):
        o = addr - RAM_BASE
        self.ram[o:o + 4] = (v & M32).to_bytes(4, 'little')

    def htif(self):
        cmd = self.word(self.tohost) | self.word(self.tohost + 4) << 32
        if cmd == 0:
            return
        device, command = cmd >> 56, (cmd >> 48) & 0xFF
        if device == 0 and cmd & 1:
            raise Halt(((cmd & 0xFFFFFFFFFFFF) >> 1) & 0xFF)
        if device == 1 and command == 1:
            self.out.append(cmd & 0xFF)
            if self.fromhost is not None:
                self.setword(self.fromhost, 0)
                self.setword(self.fromhost + 4, 0x01010000)
        self.setword(self.tohost, 0)
        self.setword(self.tohost + 4, 0)

    def clint_read(self, off):
        base, sub = off & ~3, off & 3
        if base == 0:
            v = self.msip
        elif base == 0x4000:
            v = self.mtimecmp & M32
        elif base == 0x4004:
            v = self.mtimecmp >> 32
        elif base == 0xBFF8:
            v = self.mtime() & M32
        elif base == 0xBFFC:
            v = self.mtime() >> 32
        else:
            v = 0
        return v >> (8 * sub)

    def clint_write(self, off, value):
        if off == 0:
            self.msip = value & 1
        elif off == 0x4000:
            self.mtimecmp = (self.mtimecmp & ~M32 & MASK64) | value
        elif off == 0x4004:
            self.mtimecmp = (self.mtimecmp & M32) | value << 32

    # ---- CSRs ----
    def mip(self):
        return (0x80 if self.mtime() >= self.mtimecmp else 0) | (0x8 if self.msip else 0)

    def csr(self, num, op, operand, writes, word):
        illegal = Trap(2, word)
        if self.priv < (num >> 8) & 3:
            raise illegal
        if (num >> 10) & 3 == 3 and writes:
            raise illegal
        n = self.instret
        if 0xC00 <= num <= 0xC02 or 0xC80 <= num <= 0xC82:
            bit = num & 0x1F
            if self.priv == 0 and not (self.mcounteren >> bit) & 1:
                raise illegal
            v = [n - self.cycle_off, self.mtime(), n - self.instret_off][bit]
            return (v >> 32 if num >= 0xC80 else v) & M32
        regs = {0x300: self.mstatus, 0x301: 0x40100100, 0x302: 0, 0x303: 0, 0x304: self.mie,
                0x305: self.mtvec, 0x306: self.mcounteren, 0x340: self.mscratch, 0x341: self.mepc,
                0x342: self.mcause, 0x343: self.mtval, 0x344: self.mip(),
                0xB00: (n - self.cycle_off) & M32, 0xB80: ((n - self.cycle_off) >> 32) & M32,
                0xB02: (n - self.instret_off) & M32, 0xB82: ((n - self.instret_off) >> 32) & M32,
                0xF11: 0, 0xF12: 0, 0xF13: 0, 0xF14: 0}
        if num not in regs:
            raise illegal
        old = regs[num]
        if not writes:
            return old
        new = operand if op == 'w' else (old | operand if op == 's' else old & ~operand & M32)
        if num == 0x300:
            v = new & 0x1888
            if (v >> 11) & 3 != 3:
                v &= ~0x1800
            self.mstatus = v
        elif num == 0x304:
            self.mie = new & 0x88
        elif num == 0x305:
            self.mtvec = new & ~2 & M32
        elif num == 0x306:
            self.mcounteren = new & 7
        elif num == 0x340:
            self.mscratch = new
        elif num == 0x341:
            self.mepc = new & ~3 & M32
        elif num == 0x342:
            self.mcause = new
        elif num == 0x343:
            self.mtval = new
        elif num in (0xB00, 0xB80, 0xB02, 0xB82):
            # the write replaces the increment of this instruction
            after = n + 1
            off = self.cycle_off if num & 0x7F == 0 else self.instret_off
            cur = (after - off) & MASK64
            val = (cur & ~M32 & MASK64) | new if num < 0xB80 else (cur & M32) | new << 32
            if num & 0x7F == 0:
                self.cycle_off = after - val
            else:
                self.instret_off = after - val
        return old

    # ---- traps ----
    def take_trap(self, cause, interrupt, tval):
        self.mepc = self.pc
        self.mcause = (0x80000000 if interrupt else 0) | cause
        self.mtval = tval & M32
        mie = self.mstatus & 8
        self.mstatus = (self.mstatus & ~0x1888) | (0x80 if mie else 0) | (self.priv << 11)
        self.priv = 3
        base = self.mtvec & ~3
        self.pc = base + 4 * cause if interrupt and self.mtvec & 3 == 1 else base

    def check_interrupts(self):
        pending = self.mip() & self.mie
        if pending and (self.priv == 0 or self.mstatus & 8):
            cause = 3 if pending & 8 else 7
            if cause == 7:
                self.ticks_taken += 1
            self.take_trap(cause, True, 0)

    def run(self, max_instructions=None):
        x = self.x
        try:
            while True:
                if max_instructions is not None and self.instret >= max_instructions:
                    return 124
                if self.mie:
                    self.check_interrupts()
                pc = self.pc
                try:
                    self.step(pc, x)
                except Trap as t:
                    self.pc = pc
                    self.take_trap(t.cause, False, t.tval)
        except Halt as h:
            return h.status

    def step(self, pc, x):
        if not (RAM_BASE <= pc < RAM_BASE + RAM_SIZE):
            raise Trap(1, pc)
        w = self.word(pc)
        op = w & 0x7F
        rd = (w >> 7) & 31
        f3 = (w >> 12) & 7
        rs1 = (w >> 15) & 31
        rs2 = (w >> 20) & 31
        a, b = x[rs1], x[rs2]
        nxt = pc + 4
        res = None
        if op == 0x37:
            res = w & 0xFFFFF000
        elif op == 0x17:
            res = (pc + (w & 0xFFFFF000)) & M32
        elif op == 0x6F:
            imm = sext(((w >> 31) << 20) | (((w >> 12) & 0xFF) << 12) | (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3FF) << 1), 21)
            t = (pc + imm) & M32
            if t & 3:
                raise Trap(0, t)
            res, nxt = pc + 4, t
        elif op == 0x67 and f3 == 0:
            t = (a + sext(w >> 20, 12)) & M32 & ~1
            if t & 3:
                raise Trap(0, t)
            res, nxt = pc + 4, t
        elif op == 0x63:
            imm = sext(((w >> 31) << 12) | (((w >> 7) & 1) << 11) | (((w >> 25) & 0x3F) << 5) | (((w >> 8) & 0xF) << 1), 13)
            sa, sb = sext(a, 32), sext(b, 32)
            if f3 == 0: take = a == b
            elif f3 == 1: take = a != b
            elif f3 == 4: take = sa < sb
            elif f3 == 5: take = sa >= sb
            elif f3 == 6: take = a < b
            elif f3 == 7: take = a >= b
            else: raise Trap(2, w)
            if take:
                t = (pc + imm) & M32
                if t & 3:
                    raise Trap(0, t)
                nxt = t
        elif op == 0x03:
            addr = (a + sext(w >> 20, 12)) & M32
            if f3 == 0: res = self.load(addr, 1, True)
            elif f3 == 1: res = self.load(addr, 2, True)
            elif f3 == 2: res = self.load(addr, 4, False)
            elif f3 == 4: res = self.load(addr, 1, False)
            elif f3 == 5: res = self.load(addr, 2, False)
            else: raise Trap(2, w)
        elif op == 0x23:
            addr = (a + sext(((w >> 25) << 5) | ((w >> 7) & 31), 12)) & M32
            if f3 > 2: raise Trap(2, w)
            self.store(addr, 1 << f3, b)
        elif op == 0x13 or op == 0x33:
            if op == 0x13:
                imm = sext(w >> 20, 12) & M32
                f7 = (w >> 25) if f3 in (1, 5) else 0
                if f3 == 1 and f7 != 0: raise Trap(2, w)
                if f3 == 5 and f7 not in (0, 0x20): raise Trap(2, w)
                bv, sub = imm, False
            else:
                f7 = w >> 25
                if f7 not in (0, 0x20) or (f7 == 0x20 and f3 not in (0, 5)): raise Trap(2, w)
                bv, sub = b, f7 == 0x20
            sh = bv & 31
            if f3 == 0: res = (a - bv) if sub else (a + bv)
            elif f3 == 1: res = a << sh
            elif f3 == 2: res = 1 if sext(a, 32) < sext(bv, 32) else 0
            elif f3 == 3: res = 1 if a < bv else 0
            elif f3 == 4: res = a ^ bv
            elif f3 == 5: res = (sext(a, 32) >> sh) if (w >> 30) & 1 else (a >> sh)
            elif f3 == 6: res = a | bv
            else: res = a & bv
            res &= M32
        elif op == 0x0F:
            if f3 not in (0, 1): raise Trap(2, w)
        elif op == 0x73:
            if f3 == 0:
                if w == 0x00000073:
                    if self.ecall_retires:  # --perturb: a wrong count, to see what depends on it
                        self.instret += 1
                    raise Trap(8 if self.priv == 0 else 11, 0)
                if w == 0x00100073:
                    raise Trap(3, pc)
                if w == 0x30200073:
                    if self.priv != 3: raise Trap(2, w)
                    ms = self.mstatus
                    self.priv = 3 if (ms >> 11) & 3 == 3 else 0
                    ms = (ms & ~0x1808) | (8 if ms & 0x80 else 0) | 0x80
                    self.mstatus = ms
                    nxt = self.mepc
                elif w == 0x10500073:
                    if self.mie & 0x80 and self.mtime() < self.mtimecmp:
                        self.idle += self.mtimecmp - self.mtime()
                else:
                    raise Trap(2, w)
            elif f3 in (1, 2, 3, 5, 6, 7):
                opc = 'wsc'[(f3 & 3) - 1]
                operand = rs1 if f3 >= 5 else a
                writes = opc == 'w' or rs1 != 0
                res = self.csr(w >> 20, opc, operand, writes, w)
            else:
                raise Trap(2, w)
        else:
            raise Trap(2, w)
        if res is not None and rd:
            x[rd] = res & M32
        self.instret += 1
        self.pc = nxt


def main(argv):
    trap_mis = False
    maxn = None
    perturb = False
    args = []
    it = iter(argv)
    for a in it:
        if a == '--trap-misaligned': trap_mis = True
        elif a == '--deterministic': pass
        elif a == '--isa':  # refsim is an RV32I hart; the manifest runs these programs as rv32i
            if next(it) != 'rv32i': raise SystemExit('refsim: only --isa rv32i')
        elif a == '--priv':  # refsim is an M+U hart
            if next(it) != 'mu': raise SystemExit('refsim: only --priv mu')
        elif a == '--max': maxn = int(next(it))
        elif a == '--perturb': perturb = True
        else: args.append(a)
    m = Machine(args[0], trap_mis)
    m.ecall_retires = perturb
    status = m.run(maxn)
    sys.stdout.buffer.write(bytes(m.out))
    sys.stdout.flush()
    print(f'refsim: status {status}, {m.instret} instructions, {m.ticks_taken} timer interrupts',
          file=sys.stderr)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
