/// (b) Each operation becomes a Swift closure that captures its operands; a block is an array
/// of them and a loop calls them in turn. The last closure of a block returns the next
/// block's index (-1: halt). Calling a closure loaded from an array retains and releases its
/// context, and the loop cannot be turned into straight-line code.
enum ClosureArrayShape {
    typealias Operation = (UnsafeMutableRawPointer) -> Int

    static func compile(_ program: Program) -> (UnsafeMutableRawPointer) -> UInt64 {
        var blocks: [[Operation]] = []
        var counts: [UInt64] = []
        for block in program.blocks {
            var ops: [Operation] = []
            for i in block.start..<block.end {
                ops.append(closure(at: i, program))
            }
            blocks.append(ops)
            counts.append(UInt64(block.count))
        }
        let entry = program.blockAt[0]
        return { c in
            var b = entry
            var instret: UInt64 = 0
            while b >= 0 {
                instret &+= counts[b]
                var next = -1
                for f in blocks[b] { next = f(c) }
                b = next
            }
            header(c).pointee.instret = instret
            return instret
        }
    }

    static func closure(at index: Int, _ program: Program) -> Operation {
        let op = program.ops[index]
        let rd = Int(op.rd), rs1 = Int(op.rs1), rs2 = Int(op.rs2), imm = op.imm
        switch op.kind {
        case .add: return { c in let x = regs(c); x[rd] = x[rs1] &+ x[rs2]; return 0 }
        case .addi: return { c in let x = regs(c); x[rd] = x[rs1] &+ imm; return 0 }
        case .andi: return { c in let x = regs(c); x[rd] = x[rs1] & imm; return 0 }
        case .sb:
            return { c in
                let x = regs(c)
                storeByte(header(c).pointee.memory, x[rs1] &+ imm, x[rs2])
                return 0
            }
        case .blt:
            let taken = program.blockAt[Int(imm)]
            let fall = program.blockAt[index + 1]
            return { c in let x = regs(c); return lessThan(x[rs1], x[rs2]) ? taken : fall }
        case .halt: return { _ in -1 }
        }
    }
}
