/// (a) Baseline: a loop over pre-decoded operations with a switch on the kind, counting every
/// instruction as it retires. No blocks, no translation: what an interpreter that decodes
/// once and caches the result looks like.
enum SwitchShape {
    static func compile(_ program: Program) -> (UnsafeMutableRawPointer) -> UInt64 {
        let ops = program.ops
        return { c in
            ops.withUnsafeBufferPointer { ops in run(ops, c) }
        }
    }

    static func run(_ ops: UnsafeBufferPointer<Op>, _ c: UnsafeMutableRawPointer) -> UInt64 {
        let x = regs(c)
        let memory = header(c).pointee.memory
        var pc = 0
        var instret: UInt64 = 0
        while true {
            let op = ops[pc]
            switch op.kind {
            case .add:
                x[Int(op.rd)] = x[Int(op.rs1)] &+ x[Int(op.rs2)]
                pc += 1
            case .addi:
                x[Int(op.rd)] = x[Int(op.rs1)] &+ op.imm
                pc += 1
            case .andi:
                x[Int(op.rd)] = x[Int(op.rs1)] & op.imm
                pc += 1
            case .sb:
                storeByte(memory, x[Int(op.rs1)] &+ op.imm, x[Int(op.rs2)])
                pc += 1
            case .blt:
                pc = lessThan(x[Int(op.rs1)], x[Int(op.rs2)]) ? Int(op.imm) : pc + 1
            case .halt:
                header(c).pointee.instret = instret
                return instret
            }
            instret &+= 1
        }
    }
}
