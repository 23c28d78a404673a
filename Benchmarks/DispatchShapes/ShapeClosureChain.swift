/// (c) Each operation becomes a closure that captures the next operation's closure and calls
/// it as its last act; a block's branch captures its successor blocks and calls their entry,
/// so blocks chain by calls with no loop and no array. Blocks form cycles, so a successor is
/// reached through its `ChainBlock` object (unowned(unsafe): no reference counting on the
/// capture), whose `entry` is filled in once all blocks exist.
///
/// In the release build (see the README) the calls between operations are real calls, not
/// jumps, and each block boundary retains and releases the closure context it calls (reading
/// a closure out of mutable storage copies it; reading it through a raw pointer instead was
/// measured no faster), so this shape pays both a call/return per operation and ARC per block.
///
/// Swift does not guarantee these calls become jumps, so every block entry spends a chain
/// budget as rvjit does: after `budget` entries the chain unwinds to the trampoline, which
/// resumes at the block it returns. That bounds the stack.
enum ClosureChainShape {
    typealias Continuation = (UnsafeMutableRawPointer) -> Int

    final class ChainBlock {
        var entry: Continuation = { _ in -1 }
    }

    static func compile(_ program: Program) -> (UnsafeMutableRawPointer) -> UInt64 {
        let blocks = program.blocks.map { _ in ChainBlock() }
        for (id, block) in program.blocks.enumerated() {
            var k: Continuation = { _ in -1 }
            for i in (block.start..<block.end).reversed() {
                k = closure(at: i, program, blocks, next: k)
            }
            let body = k, count = UInt64(block.count)
            let halts = program.ops[block.end - 1].kind == .halt
            blocks[id].entry = { c in
                let h = header(c)
                if halts { h.pointee.halted = 1; return -1 }
                let n = h.pointee.instret &+ count
                if n > h.pointee.limit || h.pointee.budget == 0 { return id }
                h.pointee.budget &-= 1
                h.pointee.instret = n
                return body(c)
            }
        }
        let first = program.blockAt[0]
        return { c in
            var b = first
            while b >= 0 {
                header(c).pointee.budget = chainBudget
                b = blocks[b].entry(c)
            }
            return header(c).pointee.instret
        }
    }

    static func closure(at index: Int, _ program: Program, _ blocks: [ChainBlock], next: @escaping Continuation) -> Continuation {
        let op = program.ops[index]
        let rd = Int(op.rd), rs1 = Int(op.rs1), rs2 = Int(op.rs2), imm = op.imm
        switch op.kind {
        case .add: return { c in let x = regs(c); x[rd] = x[rs1] &+ x[rs2]; return next(c) }
        case .addi: return { c in let x = regs(c); x[rd] = x[rs1] &+ imm; return next(c) }
        case .andi: return { c in let x = regs(c); x[rd] = x[rs1] & imm; return next(c) }
        case .sb:
            return { c in
                let x = regs(c)
                storeByte(header(c).pointee.memory, x[rs1] &+ imm, x[rs2])
                return next(c)
            }
        case .blt:
            unowned(unsafe) let taken = blocks[program.blockAt[Int(imm)]]
            unowned(unsafe) let fall = blocks[program.blockAt[index + 1]]
            return { c in
                let x = regs(c)
                return lessThan(x[rs1], x[rs2]) ? taken.entry(c) : fall.entry(c)
            }
        case .halt: return { _ in -1 }
        }
    }
}

/// Block entries before control goes back to the trampoline once (rvjit uses the same).
let chainBudget: UInt32 = 256
