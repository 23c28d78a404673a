/// The few x86-64 instruction forms the native tier emits, encoded into a byte buffer.
///
/// Guest values are 32 bits, so most forms are 32-bit operations (which zero the upper half of
/// the 64-bit register); the 64-bit forms are for pointers and the instruction count. Every
/// form here is checked against GNU `as` in `X86AssemblerTests`.
struct X86Assembler {
    /// The general-purpose registers by their encoding number.
    enum Reg: UInt8 {
        case rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15
        var low: UInt8 { rawValue & 7 }
        var extended: Bool { rawValue >= 8 }
    }

    /// A memory operand: `[base + index + disp]` (index scaled by 1).
    struct Mem {
        var base: Reg
        var index: Reg? = nil
        var disp: Int32 = 0
    }

    /// Conditions of `jcc`/`setcc` (the low nibble of their opcodes).
    enum Cond: UInt8 {
        case o = 0, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g
    }

    /// Two-operand integer operations of the `op r/m, r` / `op r/m, imm` families (the /digit).
    enum ALU: UInt8 {
        case add = 0, or = 1, and = 4, sub = 5, xor = 6, cmp = 7
        /// The `op r/m32, r32` opcode.
        var opcodeToRM: UInt8 { rawValue << 3 | 1 }
    }

    enum Shift: UInt8 { case shl = 4, shr = 5, sar = 7 }

    private(set) var bytes: [UInt8] = []
    var count: Int { bytes.count }

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func int32(_ v: Int32) {
        let u = UInt32(bitPattern: v)
        bytes += [UInt8(truncatingIfNeeded: u), UInt8(truncatingIfNeeded: u >> 8), UInt8(truncatingIfNeeded: u >> 16), UInt8(truncatingIfNeeded: u >> 24)]
    }
    mutating func uint32(_ v: UInt32) { int32(Int32(bitPattern: v)) }
    mutating func uint64(_ v: UInt64) {
        uint32(UInt32(truncatingIfNeeded: v))
        uint32(UInt32(truncatingIfNeeded: v >> 32))
    }

    /// Rewrites the 32-bit field at `at` (jump displacements).
    mutating func patch32(at: Int, _ v: Int32) {
        let u = UInt32(bitPattern: v)
        for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: u >> (8 * UInt32(k))) }
    }

    // MARK: Prefixes and operands

    /// A REX prefix when one is needed (`force` for byte registers spl–dil).
    private mutating func rex(w: Bool, r: Reg?, x: Reg?, b: Reg?, force: Bool = false) {
        var v: UInt8 = 0x40
        if w { v |= 8 }
        if r?.extended == true { v |= 4 }
        if x?.extended == true { v |= 2 }
        if b?.extended == true { v |= 1 }
        if v != 0x40 || force { byte(v) }
    }

    /// ModRM (+ SIB + displacement) for a register field and a memory operand: no displacement
    /// when it is 0 (except for rbp/r13 as bases, whose mod 00 means something else), else disp8
    /// or disp32 — the encoding GNU `as` picks.
    private mutating func modrm(_ reg: UInt8, _ m: Mem) {
        let none = m.disp == 0 && m.base.low != 0b101
        let short = m.disp >= -128 && m.disp <= 127
        let mod: UInt8 = none ? 0b00 : short ? 0b01 : 0b10
        if let index = m.index {
            byte(mod << 6 | (reg & 7) << 3 | 0b100)
            byte(index.low << 3 | m.base.low)
        } else if m.base.low == 0b100 {  // rsp/r12 as a base need a SIB
            byte(mod << 6 | (reg & 7) << 3 | 0b100)
            byte(0b00_100_100)
        } else {
            byte(mod << 6 | (reg & 7) << 3 | m.base.low)
        }
        if none { return }
        if short { byte(UInt8(bitPattern: Int8(truncatingIfNeeded: m.disp))) } else { int32(m.disp) }
    }

    private mutating func modrm(_ reg: UInt8, _ rm: Reg) { byte(0b11 << 6 | (reg & 7) << 3 | rm.low) }

    // MARK: Moves

    /// `mov r32, [m]` (or `mov r64, [m]` with `wide`).
    mutating func load(_ r: Reg, _ m: Mem, wide: Bool = false) {
        rex(w: wide, r: r, x: m.index, b: m.base)
        byte(0x8b)
        modrm(r.rawValue, m)
    }

    /// `mov [m], r32` (or r64 with `wide`).
    mutating func store(_ m: Mem, _ r: Reg, wide: Bool = false) {
        rex(w: wide, r: r, x: m.index, b: m.base)
        byte(0x89)
        modrm(r.rawValue, m)
    }

    /// `mov [m], r16`.
    mutating func store16(_ m: Mem, _ r: Reg) {
        byte(0x66)
        rex(w: false, r: r, x: m.index, b: m.base)
        byte(0x89)
        modrm(r.rawValue, m)
    }

    /// `mov [m], r8`.
    mutating func store8(_ m: Mem, _ r: Reg) {
        rex(w: false, r: r, x: m.index, b: m.base, force: r.rawValue >= 4 && r.rawValue < 8)
        byte(0x88)
        modrm(r.rawValue, m)
    }

    /// `mov dword [m], imm32` (or `mov qword [m], simm32` with `wide`).
    mutating func storeImmediate(_ m: Mem, _ v: UInt32, wide: Bool = false) {
        rex(w: wide, r: nil, x: m.index, b: m.base)
        byte(0xc7)
        modrm(0, m)
        uint32(v)
    }

    /// `movzx r32, byte/word [m]` or `movsx r32, byte/word [m]`.
    mutating func loadExtended(_ r: Reg, _ m: Mem, bits: Int, signed: Bool) {
        rex(w: false, r: r, x: m.index, b: m.base)
        byte(0x0f)
        byte((signed ? 0xbe : 0xb6) + (bits == 16 ? 1 : 0))
        modrm(r.rawValue, m)
    }

    /// `mov r32, imm32` (`xor r32, r32` for 0 would change the flags; callers pick).
    mutating func moveImmediate(_ r: Reg, _ v: UInt32) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0xb8 + r.low)
        uint32(v)
    }

    /// `mov r64, imm64`.
    mutating func moveImmediate64(_ r: Reg, _ v: UInt64) {
        rex(w: true, r: nil, x: nil, b: r)
        byte(0xb8 + r.low)
        uint64(v)
    }

    /// `mov dst32, src32` (or 64-bit with `wide`).
    mutating func move(_ dst: Reg, _ src: Reg, wide: Bool = false) {
        rex(w: wide, r: src, x: nil, b: dst)
        byte(0x89)
        modrm(src.rawValue, dst)
    }

    /// `lea r32, [base + disp]`: a 32-bit sum that wraps like the guest's.
    mutating func lea(_ r: Reg, _ m: Mem) {
        rex(w: false, r: r, x: m.index, b: m.base)
        byte(0x8d)
        modrm(r.rawValue, m)
    }

    // MARK: Arithmetic

    /// `op dst32, src32` (or 64-bit with `wide`).
    mutating func alu(_ op: ALU, _ dst: Reg, _ src: Reg, wide: Bool = false) {
        rex(w: wide, r: src, x: nil, b: dst)
        byte(op.opcodeToRM)
        modrm(src.rawValue, dst)
    }

    /// `op r32, [m]` (or 64-bit with `wide`).
    mutating func alu(_ op: ALU, _ dst: Reg, _ m: Mem, wide: Bool = false) {
        rex(w: wide, r: dst, x: m.index, b: m.base)
        byte(op.opcodeToRM | 2)
        modrm(dst.rawValue, m)
    }

    /// `op r32, imm` (imm8 when it fits; or 64-bit with `wide`, imm sign-extended).
    mutating func alu(_ op: ALU, _ dst: Reg, immediate v: Int32, wide: Bool = false) {
        rex(w: wide, r: nil, x: nil, b: dst)
        if v >= -128 && v <= 127 {
            byte(0x83)
            modrm(op.rawValue, dst)
            byte(UInt8(bitPattern: Int8(truncatingIfNeeded: v)))
        } else {
            byte(0x81)
            modrm(op.rawValue, dst)
            int32(v)
        }
    }

    /// `op dword/qword [m], imm` (imm8 when it fits).
    mutating func alu(_ op: ALU, _ m: Mem, immediate v: Int32, wide: Bool = false) {
        rex(w: wide, r: nil, x: m.index, b: m.base)
        if v >= -128 && v <= 127 {
            byte(0x83)
            modrm(op.rawValue, m)
            byte(UInt8(bitPattern: Int8(truncatingIfNeeded: v)))
        } else {
            byte(0x81)
            modrm(op.rawValue, m)
            int32(v)
        }
    }

    /// `shl/shr/sar r32, imm8`.
    mutating func shift(_ op: Shift, _ r: Reg, by n: UInt8) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0xc1)
        modrm(op.rawValue, r)
        byte(n & 31)
    }

    /// `shl/shr/sar r32, cl` (the count is taken mod 32, as RISC-V does).
    mutating func shiftByCL(_ op: Shift, _ r: Reg) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0xd3)
        modrm(op.rawValue, r)
    }

    /// `imul dst32, src32`.
    mutating func imul(_ dst: Reg, _ src: Reg) {
        rex(w: false, r: dst, x: nil, b: src)
        byte(0x0f)
        byte(0xaf)
        modrm(dst.rawValue, src)
    }

    /// `setcc r8` then `movzx r32, r8`: the condition as 0 or 1.
    mutating func setAndExtend(_ c: Cond, _ r: Reg) {
        rex(w: false, r: nil, x: nil, b: r, force: r.rawValue >= 4 && r.rawValue < 8)
        byte(0x0f)
        byte(0x90 | c.rawValue)
        modrm(0, r)
        rex(w: false, r: r, x: nil, b: r, force: r.rawValue >= 4 && r.rawValue < 8)
        byte(0x0f)
        byte(0xb6)
        modrm(r.rawValue, r)
    }

    /// `cmp byte [m], imm8`.
    mutating func compareByte(_ m: Mem, _ v: UInt8) {
        rex(w: false, r: nil, x: m.index, b: m.base)
        byte(0x80)
        modrm(7, m)
        byte(v)
    }

    /// `test r8, imm8` on the low byte of any register (a REX prefix names spl–dil and r8b–r15b).
    mutating func testLowByte(_ r: Reg, _ v: UInt8) {
        if r == .rax {
            byte(0xa8)
        } else {
            rex(w: false, r: nil, x: nil, b: r, force: r.rawValue >= 4 && r.rawValue < 8)
            byte(0xf6)
            modrm(0, r)
        }
        byte(v)
    }

    /// `test r64, r64`.
    mutating func test64(_ a: Reg, _ b: Reg) {
        rex(w: true, r: b, x: nil, b: a)
        byte(0x85)
        modrm(b.rawValue, a)
    }

    // MARK: Control

    /// `jmp rel32`; returns the offset of the displacement, to be bound or patched.
    @discardableResult
    mutating func jump() -> Int {
        byte(0xe9)
        int32(0)
        return count - 4
    }

    /// `jcc rel32`; returns the offset of the displacement.
    @discardableResult
    mutating func jump(if c: Cond) -> Int {
        byte(0x0f)
        byte(0x80 | c.rawValue)
        int32(0)
        return count - 4
    }

    /// Points the displacement at `site` to `target` (both offsets in this buffer).
    mutating func bind(_ site: Int, to target: Int) { patch32(at: site, Int32(truncatingIfNeeded: target - (site + 4))) }

    /// `jmp r64`.
    mutating func jump(_ r: Reg) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0xff)
        modrm(4, r)
    }

    /// `call r64`.
    mutating func call(_ r: Reg) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0xff)
        modrm(2, r)
    }

    mutating func push(_ r: Reg) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0x50 + r.low)
    }

    mutating func pop(_ r: Reg) {
        rex(w: false, r: nil, x: nil, b: r)
        byte(0x58 + r.low)
    }

    mutating func ret() { byte(0xc3) }
}
