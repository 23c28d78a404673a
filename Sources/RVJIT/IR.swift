import RISCV

/// An operand of an IR operation: a guest register, a JIT temporary or a constant.
public enum IRValue: Hashable, Sendable, CustomStringConvertible {
    case reg(UInt8)
    /// Temporaries live after the guest registers in `CPUState.x` (index `32 + n`).
    case temp(UInt8)
    case const(UInt32)

    public var description: String {
        switch self {
        case .reg(let r): return "x\(r)"
        case .temp(let t): return "t\(t)"
        case .const(let v): return v < 0x1000 ? "\(v)" : "0x" + String(v, radix: 16)
        }
    }

    /// Index into `CPUState.x` for a register or temporary.
    var slotIndex: UInt32? {
        switch self {
        case .reg(let r): return UInt32(r)
        case .temp(let t): return 32 + UInt32(t)
        case .const: return nil
        }
    }

    var constant: UInt32? { if case .const(let v) = self { return v } else { return nil } }
}

/// Operations that need the machine's privileged logic or the monitor.
public enum SystemOp: Hashable, Sendable {
    case ecall, ebreak, mret, wfi, fenceI, sret
    /// `sfence.vma` with its two source registers (x0: all addresses, all address spaces).
    case sfenceVMA(address: UInt8, asid: UInt8)
    /// A Zicsr instruction (the decoded form keeps rd, rs1/uimm and the CSR number).
    case csr(Instruction)
    /// A word that does not decode: an illegal-instruction trap if execution reaches it.
    case illegal
}

/// An F/D computation as the IR carries it: the operation, its float register operands, and its
/// integer operands (`rd` of comparisons, classification, `fcvt.w`, `fmv.x.w`; `rs1` of
/// `fcvt.*.w`, `fmv.w.x`) as IR values so that the passes see them like any other.
public struct FloatOperation: Hashable, Sendable {
    public var op: FloatOp
    public var width: FloatWidth
    /// f registers: rd (when the result is a float), rs1 (when the source is), rs2, rs3.
    public var fd: UInt8, fs1: UInt8, fs2: UInt8, fs3: UInt8
    public var rm: UInt8
    public var intDestination: IRValue?
    public var intSource: IRValue?
    /// The instruction's bits, for the illegal-instruction trap (FS Off, reserved rounding mode).
    public var word: UInt32

    public init(_ i: Instruction, op: FloatOp, width: FloatWidth, word: UInt32) {
        self.op = op
        self.width = width
        fd = op.writesInteger ? 0 : i.rd
        fs1 = op.readsInteger ? 0 : i.rs1
        fs2 = i.rs2
        fs3 = i.rs3
        rm = i.rm
        intDestination = op.writesInteger ? .reg(i.rd) : nil
        intSource = op.readsInteger ? .reg(i.rs1) : nil
        self.word = word
    }
}

/// One IR operation. The last operation of a block is an exit (`jump`, `jumpIndirect` or a
/// block-ending `system`); `branch` is a conditional exit in the middle.
public enum IROp: Hashable, Sendable {
    case move(dst: IRValue, src: IRValue)
    case alu(ALUOp, dst: IRValue, IRValue, IRValue)
    case load(MemoryWidth, dst: IRValue, base: IRValue, offset: Int32)
    case store(MemoryWidth, value: IRValue, base: IRValue, offset: Int32)
    /// Leaves the block for `target` when the condition holds; falls through otherwise.
    case branch(BranchCondition, IRValue, IRValue, target: UInt32)
    case jump(target: UInt32)
    /// `jalr`: target = (base + offset) & ~1, read before `link` is written with `linkValue`.
    case jumpIndirect(base: IRValue, offset: Int32, link: IRValue?, linkValue: UInt32)
    case system(SystemOp, word: UInt32)
    /// An A instruction: `dst = atomic(address, value)` through `Machine.atomic` (it may fault).
    case atomic(AtomicOp, dst: IRValue, address: IRValue, value: IRValue)
    /// `flw`/`fld`: `f[dst] = load(base + offset)` (illegal while FS is Off; may fault).
    case floatLoad(FloatWidth, dst: UInt8, base: IRValue, offset: Int32, word: UInt32)
    /// `fsw`/`fsd`: `store(base + offset, f[src])`.
    case floatStore(FloatWidth, src: UInt8, base: IRValue, offset: Int32, word: UInt32)
    /// Every other F/D instruction (may trap: FS Off, a reserved rounding mode).
    case float(FloatOperation)

    /// The value this operation writes, if any.
    public var destination: IRValue? {
        switch self {
        case .move(let d, _), .alu(_, let d, _, _), .load(_, let d, _, _), .atomic(_, let d, _, _): return d
        case .jumpIndirect(_, _, let link, _): return link
        case .system(.csr(let inst), _): return inst.rd == 0 ? nil : .reg(inst.rd)
        case .float(let f): return f.intDestination
        default: return nil
        }
    }

    /// Values this operation reads.
    public var sources: [IRValue] {
        switch self {
        case .move(_, let s): return [s]
        case .alu(_, _, let a, let b): return [a, b]
        case .load(_, _, let base, _): return [base]
        case .store(_, let v, let base, _): return [v, base]
        case .branch(_, let a, let b, _): return [a, b]
        case .jumpIndirect(let base, _, _, _): return [base]
        case .atomic(_, _, let address, let value): return [address, value]
        case .floatLoad(_, _, let base, _, _), .floatStore(_, _, let base, _, _): return [base]
        case .float(let f): return f.intSource.map { [$0] } ?? []
        case .system(.csr(let inst), _):
            guard case .csr(_, let immediate) = inst.family else { return [] }
            return immediate ? [] : [.reg(inst.rs1)]
        case .system(.ecall, _):
            return (10...17).map { .reg($0) }  // the syscall ABI: a0–a7
        case .system(.sfenceVMA(let address, let asid), _):
            return [.reg(address), .reg(asid)]
        default: return []
        }
    }

    /// Can stop the block early (fault, trap, conditional exit): guest state must be exact here.
    public var isExitPoint: Bool {
        switch self {
        case .move, .alu: return false
        default: return true
        }
    }
}

/// An IR operation with the guest instruction it came from.
public struct IRInstruction: Hashable, Sendable {
    public var op: IROp
    /// Index of the guest instruction in its block (0-based).
    public var index: Int
    public var pc: UInt32

    public init(_ op: IROp, index: Int, pc: UInt32) {
        self.op = op
        self.index = index
        self.pc = pc
    }
}

/// The IR of one guest block.
public struct IRBlock: Hashable, Sendable {
    public var pc: UInt32
    /// Guest instructions the block covers.
    public var length: Int
    public var ops: [IRInstruction]
    /// The pc of each guest instruction (instructions are 2 or 4 bytes), and the address after the last.
    public var pcs: [UInt32]
    public var endPC: UInt32

    public init(pc: UInt32, length: Int, ops: [IRInstruction], pcs: [UInt32], endPC: UInt32) {
        self.pc = pc
        self.length = length
        self.ops = ops
        self.pcs = pcs
        self.endPC = endPC
    }

    /// A block of uncompressed instructions (IR text, tests).
    public init(pc: UInt32, length: Int, ops: [IRInstruction]) {
        let size = UInt32(Instruction.uncompressedLength)
        self.init(pc: pc, length: length, ops: ops, pcs: (0..<length).map { pc &+ UInt32($0) &* size },
                  endPC: pc &+ UInt32(length) &* size)
    }
}
