import RISCV

// The operand forms the closure compiler matches when it fuses operations.

/// A load or store in the form the memory+ALU closures take: base register + offset (a constant
/// base is folded into the offset over x0), and the loaded register or the stored one (a stored
/// constant only if it is 0, which is x0).
struct MemoryOperation {
    var isLoad: Bool
    var width: MemoryWidth
    var register: UInt32
    var base: UInt32
    var offset: UInt32

    init?(_ op: IROp) {
        let (base, offset): (IRValue, Int32)
        switch op {
        case .load(let w, let d, let b, let off):
            guard let rd = d.slotIndex else { return nil }
            (isLoad, width, register, base, offset) = (true, w, rd, b, off)
        case .store(let w, let v, let b, let off):
            if let r = v.slotIndex { register = r } else if v.constant == 0 { register = 0 } else { return nil }
            (isLoad, width, base, offset) = (false, w, b, off)
        default: return nil
        }
        if let k = base.constant {
            self.base = 0
            self.offset = k &+ UInt32(bitPattern: offset)
        } else if let r = base.slotIndex {
            self.base = r
            self.offset = UInt32(bitPattern: offset)
        } else {
            return nil
        }
    }

    var shape: String { (isLoad ? "load." : "store.") + width.name }
}

/// An operation in the form the ALU-pair closures take: `rd = rs op y` with `y` a register or
/// an immediate. Moves count too (`rd = rs + 0`, `rd = x0 + k`).
struct SimpleALU {
    var op: ALUOp
    var rd: UInt32
    var rs: UInt32
    var y: UInt32
    var yIsRegister: Bool

    init?(_ op: IROp) {
        switch op {
        case .move(let d, let src):
            guard let rd = d.slotIndex else { return nil }
            if let k = src.constant { self.init(.add, rd, 0, k, false) } else if let r = src.slotIndex { self.init(.add, rd, r, 0, false) } else { return nil }
            shape = src.constant != nil ? "move.imm" : "move.reg"
        case .alu(let o, let d, let a, let b):
            guard let rd = d.slotIndex else { return nil }
            if let ra = a.slotIndex, let k = b.constant { self.init(o, rd, ra, k, false) }
            else if let ra = a.slotIndex, let rb = b.slotIndex { self.init(o, rd, ra, rb, true) }
            else if o.isCommutative, let k = a.constant, let rb = b.slotIndex { self.init(o, rd, rb, k, false) }
            else if a.constant == 0, let rb = b.slotIndex { self.init(o, rd, 0, rb, true) }  // x0 op x[rb] (neg, snez)
            else { return nil }
        default: return nil
        }
    }

    /// The shape name the trace shows (moves keep their own name).
    var shape: String

    init(_ op: ALUOp, _ rd: UInt32, _ rs: UInt32, _ y: UInt32, _ yIsRegister: Bool) {
        shape = "\(op.name).\(yIsRegister ? "reg" : "imm")"
        self.op = op
        self.rd = rd
        self.rs = rs
        self.y = y
        self.yIsRegister = yIsRegister
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { index >= 0 && index < count ? self[index] : nil }
}

extension Instruction {
    /// `csrrs rd, cycle|time|instret[h], x0`: the unprivileged counter reads.
    var isCounterRead: Bool {
        family == .csr(.set, immediate: false) && rs1 == 0 && (csr >= CSR.cycle && csr <= CSR.instret || csr >= CSR.cycleh && csr <= CSR.instreth)
    }
}
