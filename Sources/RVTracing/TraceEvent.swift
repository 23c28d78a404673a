import RISCV
import RVMachine

/// A block as the translator produced it, in the terms the tracer shows (the tracing module
/// does not depend on the JIT, so the wiring converts the JIT's record into this).
public struct TranslatedBlock: Sendable {
    public var pc: UInt32
    public var endPC: UInt32
    public var words: [UInt32]
    public var irBefore: [String]
    public var irAfter: [String]
    /// The closure shape of each slot, in slot order.
    public var shapes: [String]
    /// A native-tier block's x86-64 code, disassembled one instruction a line (empty for closures).
    public var machineCode: [String] = []
    /// The tier that compiled it (closure or native).
    public var tier = BlockTier.closure

    public init(pc: UInt32, endPC: UInt32, words: [UInt32], irBefore: [String], irAfter: [String], shapes: [String]) {
        self.pc = pc
        self.endPC = endPC
        self.words = words
        self.irBefore = irBefore
        self.irAfter = irAfter
        self.shapes = shapes
    }

    public var length: Int { words.count }
}

/// One retired guest instruction and what it wrote.
public struct RetiredInstruction: Sendable, Equatable {
    public var pc: UInt32
    public var word: UInt32
    /// Privilege after the instruction (3 = machine, 0 = user).
    public var privilege: UInt32
    /// The register written (never x0) and its new value.
    public var write: (register: UInt8, value: UInt32)?
    /// A store: address, value (truncated to the width) and width in bytes (8 for `fsd`).
    public var store: (address: UInt32, value: UInt64, width: Int)?
    /// The F/D register written and its new 64-bit value (a single or half NaN-boxed), as Spike shows it.
    public var floatWrite: (register: UInt8, value: UInt64)?
    /// With Sv32 translating the hart's fetches (after the instruction, as `privilege`): the ASID
    /// of the address space `pc` is a virtual address in; nil while addresses are physical.
    public var sv32ASID: UInt16? = nil

    public static func == (a: Self, b: Self) -> Bool {
        a.pc == b.pc && a.word == b.word && a.privilege == b.privilege && a.write?.register == b.write?.register
            && a.write?.value == b.write?.value && a.store?.address == b.store?.address && a.store?.value == b.store?.value
            && a.floatWrite?.register == b.floatWrite?.register && a.floatWrite?.value == b.floatWrite?.value
    }

    public init(
        pc: UInt32, word: UInt32, privilege: UInt32, write: (register: UInt8, value: UInt32)?,
        store: (address: UInt32, value: UInt64, width: Int)?, floatWrite: (register: UInt8, value: UInt64)? = nil
    ) {
        self.pc = pc
        self.word = word
        self.privilege = privilege
        self.write = write
        self.store = store
        self.floatWrite = floatWrite
    }

    /// Reads what `word` at `pc` wrote from the registers after it retired. Stores write no
    /// register, so their address and value operands are still intact.
    public static func observe(
        pc: UInt32, word: UInt32, registers x: UnsafeMutablePointer<UInt32>, floatRegisters f: UnsafeMutablePointer<UInt64>? = nil,
        privilege: UInt32
    ) -> RetiredInstruction {
        let inst = decode(word)
        var write: (UInt8, UInt32)? = nil
        var store: (UInt32, UInt64, Int)? = nil
        var floatWrite: (UInt8, UInt64)? = nil
        if inst.flags.contains(.writesRd), inst.rd != 0 {
            write = (inst.rd, x[Int(inst.rd)])
        } else if inst.family == .ecall {
            write = (10, x[10])  // the system call's result
        }
        let address = x[Int(inst.rs1)] &+ UInt32(bitPattern: inst.imm)
        switch inst.family {
        case .store(let w): store = (address, UInt64(x[Int(inst.rs2)] & (w.size == 4 ? 0xffff_ffff : (1 << (8 * w.size)) - 1)), Int(w.size))
        case .floatStore(let w):
            if let f { store = (address, f[Int(inst.rs2)] & ~w.boxBits, Int(w.size)) }
        case .floatLoad: if let f { floatWrite = (inst.rd, f[Int(inst.rd)]) }
        case .float(let op, _): if let f, !op.writesInteger { floatWrite = (inst.rd, f[Int(inst.rd)]) }
        case .lui, .auipc, .jal, .jalr, .branch, .load, .aluImmediate, .aluRegister, .fence, .fenceI, .ecall, .ebreak,
             .mret, .wfi, .sret, .sfenceVMA, .csr, .atomic, .illegal:
            break
        }
        return RetiredInstruction(pc: pc, word: word, privilege: privilege, write: write, store: store, floatWrite: floatWrite)
    }
}

/// The size in bytes of the instruction whose bits are `word` (a compressed instruction's
/// are its halfword), as the decoder sees it.
func instructionLength(_ word: UInt32) -> UInt32 { UInt32(decode(word).length) }

/// The address of each instruction of a run of instruction words that starts at `pc`.
func instructionAddresses(from pc: UInt32, words: [UInt32]) -> [UInt32] {
    var at = pc
    return words.map { w in defer { at &+= instructionLength(w) }; return at }
}

/// The executor that ran a block: the interpreter, the JIT's closures or its x86-64 code.
/// (The tracing module does not depend on the JIT: the wiring converts the JIT's tier.)
public enum BlockTier: String, Sendable, CaseIterable {
    case interp, closure, native
}

/// Something the tracer can report.
public enum TraceEvent: Sendable {
    case translated(TranslatedBlock)
    /// A block entered, with how many times it has been entered (this time included) and the
    /// tier that ran it; `sv32ASID`: the address space `pc` is virtual in (nil: physical).
    case exec(pc: UInt32, count: UInt64, tier: BlockTier, sv32ASID: UInt16? = nil)
    case retired(RetiredInstruction)
    /// A retired instruction as Spike's commit log shows it (`--trace-format spike`).
    case committed(CommitRecord)
    case syscall(pc: UInt32, text: String)
    case invalidated(pc: UInt32, endPC: UInt32, reason: String)
    /// `from` is the pc of the exit instruction, `to` the block's pc.
    case chain(from: UInt32, to: UInt32, linked: Bool)
    /// The register file (x0–x31) as a block at `pc` is entered, at privilege `privilege`.
    case cpu(pc: UInt32, registers: [UInt32], privilege: UInt32)
    case trap(TrapRecord)

    public var kind: TraceKind {
        switch self {
        case .translated: return .blocks
        case .exec: return .exec
        case .retired, .committed: return .insns
        case .syscall: return .syscalls
        case .invalidated: return .invalidate
        case .chain: return .chain
        case .cpu: return .cpu
        case .trap: return .traps
        }
    }

    /// The guest addresses the event is about, as a half-open range.
    var addresses: (UInt32, UInt32) {
        switch self {
        case .translated(let b): return (b.pc, b.endPC)
        case .exec(let pc, _, _, _): return (pc, pc &+ 4)
        case .retired(let r): return (r.pc, r.pc &+ instructionLength(r.word))
        case .committed(let c): return (c.pc, c.pc &+ UInt32(c.length))
        case .syscall(let pc, _): return (pc, pc &+ 4)
        case .invalidated(let pc, let end, _): return (pc, end)
        case .chain(let from, _, _): return (from, from &+ 4)
        case .cpu(let pc, _, _): return (pc, pc &+ 4)
        case .trap(let t): return (t.pc, t.pc &+ 4)
        }
    }
}

/// Which events get through: guest pcs in `[low, high)`, and instruction counts in
/// `[after, after + count)`.
public struct TraceFilter: Sendable, Equatable {
    public var range: (low: UInt32, high: UInt32)?
    public var after: UInt64 = 0
    public var count: UInt64?

    public init(range: (low: UInt32, high: UInt32)? = nil, after: UInt64 = 0, count: UInt64? = nil) {
        self.range = range
        self.after = after
        self.count = count
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.range?.low == b.range?.low && a.range?.high == b.range?.high && a.after == b.after && a.count == b.count
    }

    /// Parses `LO-HI` (hex, `0x` optional).
    public static func parseRange(_ text: String) -> (low: UInt32, high: UInt32)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let lo = hex(parts[0]), let hi = hex(parts[1]), lo <= hi else { return nil }
        return (lo, hi)
    }

    static func hex(_ s: Substring) -> UInt32? {
        var t = s
        if t.hasPrefix("0x") || t.hasPrefix("0X") { t = t.dropFirst(2) }
        return t.isEmpty ? nil : UInt32(t, radix: 16)
    }

    /// Whether an event about `[lo, hi)` at instruction count `icount` is shown.
    public func admits(_ lo: UInt32, _ hi: UInt32, icount: UInt64) -> Bool {
        if icount < after { return false }
        if let n = count, icount - after >= n { return false }
        if let r = range, !(lo < r.high && hi > r.low) { return false }
        return true
    }

    /// Whether some block overlapping `[lo, hi)` could show events (range only).
    public func mayAdmit(_ lo: UInt32, _ hi: UInt32) -> Bool {
        guard let r = range else { return true }
        return lo < r.high && hi > r.low
    }

    /// Whether events past this instruction count can never be shown again.
    public func isOver(icount: UInt64) -> Bool {
        if let n = count { return icount >= after &+ n }
        return false
    }
}
