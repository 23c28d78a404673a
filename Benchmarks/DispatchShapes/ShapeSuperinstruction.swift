/// (e) Shape (d) plus one superinstruction: the loop's `add x1, x1, x3; blt x1, x2, loop`
/// becomes a single handler, so the hot 5-instruction block dispatches entry + 3 + 1 slots
/// instead of entry + 4 + 1, and the not-taken way out goes straight to the fall-through exit
/// without dispatching it (rvjit's `addRegisterThenBranch`).
enum SuperinstructionShape {
    static func compile(_ program: Program) -> (UnsafeMutableRawPointer) -> UInt64 {
        SlotCompiler(program, chain: true, fuse: true).runner()
    }
}

enum FusedHandlers {
    /// `x[rd] = x[rs1] + x[b]; if x[ra] < x[rb] exit to d, else the fall-through exit (next
    /// slot)`, with `a` = rd | rs1 << 8 | ra << 16 | rb << 24.
    static let addThenBranchLess: Handler = { p, c in
        let s = slot(p), x = regs(c)
        let a = s.pointee.a
        x[Int(a & 0xff)] = x[Int((a >> 8) & 0xff)] &+ x[Int(s.pointee.b)]
        if lessThan(x[Int((a >> 16) & 0xff)], x[Int(a >> 24)]) { return SlotHandlers.exit(s, c) }
        return SlotHandlers.exitOutOfLine(s + 1, c)
    }
}
