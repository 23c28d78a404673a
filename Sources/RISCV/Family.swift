/// What an instruction does, as the executors see it: every row of the instruction table names
/// one family, with the operation as its parameter (`add` and `addi` are `.aluRegister(.add)`
/// and `.aluImmediate(.add)`). Everything above the ISA layer switches over families, never over
/// opcodes, and every such switch is exhaustive with no `default:`: a new family is a compile
/// error in each place that must learn it, and a new instruction in an existing family is its row.
public enum Family: Hashable, Sendable {
    case lui, auipc, jal, jalr
    case branch(BranchCondition)
    case load(MemoryWidth)
    case store(MemoryWidth)
    /// `rd = op(rs1, imm)`.
    case aluImmediate(ALUOp)
    /// `rd = op(rs1, rs2)`; M's multiplications and divisions are ALU operations too.
    case aluRegister(ALUOp)
    case fence, fenceI
    case ecall, ebreak, mret, wfi
    /// Supervisor mode: `sret` returns from an S-mode trap; `sfence.vma rs1, rs2` orders page-table
    /// updates with the translations that follow (rs1: an address, rs2: an ASID; x0 for all).
    case sret, sfenceVMA
    /// Zicsr: `rd = csr; csr = op(csr, rs1 or uimm)`.
    case csr(CSROp, immediate: Bool)
    /// A: `lr.w`, `sc.w` and the `amo*.w` read-modify-write operations.
    case atomic(AtomicOp)
    /// F/D/Zfh loads and stores (`flw`, `fld`, `flh` and `fsw`, `fsd`, `fsh`).
    case floatLoad(FloatWidth)
    case floatStore(FloatWidth)
    /// F/D/Zfh computation: arithmetic, fused multiply-adds, sign injection, min/max, comparisons,
    /// classification, conversions and moves (see `FloatOp`), at one width.
    case float(FloatOp, FloatWidth)
    /// A word that is no instruction of the enabled ISA.
    case illegal

    /// Ends a basic block: control may go elsewhere, or the machine's mode may change.
    public var endsBlock: Bool {
        switch self {
        case .jal, .jalr, .branch, .fenceI, .ecall, .ebreak, .mret, .wfi, .sret, .sfenceVMA, .illegal: return true
        case .lui, .auipc, .load, .store, .aluImmediate, .aluRegister, .fence, .csr, .atomic, .floatLoad, .floatStore, .float:
            return false
        }
    }
}

/// The three Zicsr operations.
public enum CSROp: UInt8, CaseIterable, Sendable {
    /// `csrrw`: the new value is the operand.
    case write
    /// `csrrs`: the operand's bits are set.
    case set
    /// `csrrc`: the operand's bits are cleared.
    case clear

    @inlinable
    public func newValue(old: UInt32, operand: UInt32) -> UInt32 {
        switch self {
        case .write: return operand
        case .set: return old | operand
        case .clear: return old & ~operand
        }
    }
}

/// The floating-point formats: binary32 (F), binary64 (D) and binary16 (Zfh, Zfhmin).
public enum FloatWidth: UInt8, CaseIterable, Sendable {
    case single, double, half
    /// Bytes in memory.
    @inlinable public var size: UInt32 {
        switch self {
        case .half: return 2
        case .single: return 4
        case .double: return 8
        }
    }
    /// The `fmt` field of OP-FP and the fused multiply-adds (bits 26:25), which is also how a
    /// conversion's `rs2` names its source format: 0 single, 1 double, 2 half.
    @inlinable public var fmt: UInt32 {
        switch self {
        case .single: return 0
        case .double: return 1
        case .half: return 2
        }
    }
    /// The mnemonic suffix letter: `s`, `d`, `h`.
    public var letter: String {
        switch self {
        case .single: return "s"
        case .double: return "d"
        case .half: return "h"
        }
    }
}

/// The A extension's operations on one aligned word.
public enum AtomicOp: Hashable, Sendable {
    case loadReserved
    case storeConditional
    /// `rd = mem; mem = op(mem, rs2)`.
    case amo(AMOOp)

    public static let allCases: [AtomicOp] = [.loadReserved, .storeConditional] + AMOOp.allCases.map { .amo($0) }

    /// `lr`, `sc`, `amo.add`, …: the IR's text form.
    public var name: String {
        switch self {
        case .loadReserved: return "lr"
        case .storeConditional: return "sc"
        case .amo(let op): return "amo.\(op)"
        }
    }
}

/// The read-modify-write operations of the `amo*.w` instructions.
public enum AMOOp: UInt8, CaseIterable, Sendable {
    case swap, add, xor, and, or, min, max, minu, maxu

    /// The value stored, given the value in memory and `rs2`.
    @inlinable
    public func apply(_ memory: UInt32, _ operand: UInt32) -> UInt32 {
        switch self {
        case .swap: return operand
        case .add: return memory &+ operand
        case .xor: return memory ^ operand
        case .and: return memory & operand
        case .or: return memory | operand
        case .min: return Int32(bitPattern: memory) < Int32(bitPattern: operand) ? memory : operand
        case .max: return Int32(bitPattern: memory) > Int32(bitPattern: operand) ? memory : operand
        case .minu: return memory < operand ? memory : operand
        case .maxu: return memory > operand ? memory : operand
        }
    }
}
