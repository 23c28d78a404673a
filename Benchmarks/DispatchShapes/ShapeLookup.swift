/// (f) Shape (d) without chaining: every block exit returns to a dispatcher, which finds the
/// next block in a `[UInt32: entry]` dictionary by guest pc and calls it. The difference to
/// (d) is what chaining saves per block.
enum LookupShape {
    static func compile(_ program: Program) -> (UnsafeMutableRawPointer) -> UInt64 {
        let compiled = SlotCompiler(program, chain: false, fuse: false)
        let table = compiled.entryByPC
        return { c in
            let h = header(c)
            h.pointee.pc = 0
            while h.pointee.halted == 0 {
                guard let entry = table[h.pointee.pc] else { break }
                var p: UnsafeMutableRawPointer? = entry
                while let q = p {
                    h.pointee.budget = chainBudget
                    p = slot(q).pointee.handler(q, c)
                }
            }
            return h.pointee.instret
        }
    }
}
