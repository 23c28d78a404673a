import RVMachine

/// The closure tier's backend: IR → slots (`ClosureCompiler`), and the slot convention every
/// tier's blocks are entered and chained through.
///
/// A block's entry is its first slot; running it means calling the slot's handler, which returns
/// the entry of the next block to run (chained) or nil (back to the dispatcher). A chainable exit
/// is a slot whose `link` holds the successor's entry once chained. Native blocks keep this
/// convention at their edges (an entry slot that calls their code, exit slots that their
/// patchable jumps are linked through), so closure and native blocks chain to each other and the
/// jump cache holds entries of either.
final class ClosureBackend: JITBackend {
    let compiler: ClosureCompiler

    init(compiler: ClosureCompiler) { self.compiler = compiler }

    var tier: Tier { .closure }

    func accepts(_ ir: IRBlock) -> Bool { true }

    /// Closures take every block, and never run out of code memory.
    func compileClosures(_ ir: IRBlock, _ request: CompileRequest) -> CompiledBlock {
        let block = compiler.compile(ir, promoteAfter: request.promoteAfter)
        if let r = request.retired { block.setRetiredWords(r.words, pcs: r.pcs) }
        return block
    }

    func compile(_ ir: IRBlock, _ request: CompileRequest) -> CompiledBlock? { compileClosures(ir, request) }

    func link(_ exit: BlockExit, to target: CompiledBlock) { slot(exit.address).pointee.link = target.entry }

    func unlink(_ exit: BlockExit) { slot(exit.address).pointee.link = nil }

    func isLinked(_ exit: BlockExit) -> Bool { slot(exit.address).pointee.link != nil }

    func sourcePC(of exit: BlockExit) -> UInt32 { slot(exit.address).pointee.pc }

    /// Closure exits carry no mark; native ones do (`NativeBackend.exitMark`).
    func made(_ exit: BlockExit) -> Bool { slot(exit.address).pointee.spare != NativeBackend.exitMark }

    func release(_ block: CompiledBlock) { block.releaseSlots() }

    /// Closure blocks live in their own allocations: nothing is shared to reset.
    func reset() {}

    // MARK: Running

    /// The trampoline: runs the block at `entry` and whatever it chains to, each round with a
    /// fresh chain budget, until an exit needs the dispatcher (true: `CPUState.exitReason`
    /// says why). Without `follow` it stops at the entry of the first block chained to instead
    /// (false), with `pc` set there. Concrete and inlined into the dispatcher: no protocol call
    /// per block.
    @inline(__always)
    static func run(_ entry: UnsafeMutableRawPointer, cpu: UnsafeMutablePointer<CPUState>, budget: UInt32, follow: Bool) -> Bool {
        let raw = UnsafeMutableRawPointer(cpu)
        var p: UnsafeMutableRawPointer? = entry
        while let q = p {
            cpu.pointee.chainBudget = budget
            p = slot(q).pointee.handler(q, raw)
            if !follow, let next = p {
                // Stopped at the entry of a chained block: that is where the guest is.
                cpu.pointee.pc = slot(next).pointee.pc
                return false
            }
        }
        return true
    }
}

extension CompiledBlock {
    /// Gives each retire slot its instruction's word (`d`), which the IR does not carry, and
    /// so does a store followed by its retire slot (a store that ends the block retires itself).
    /// Translation time only; the traced handlers read it.
    func setRetiredWords(_ words: [UInt32], pcs: [UInt32]) {
        for i in 0..<slotCount where shapes[i] == "retire" {
            guard let k = pcs.firstIndex(of: slots[i].pc), k < words.count else { continue }
            slots[i].d = words[k]
            if i > 0, shapes[i - 1].hasPrefix("store."), slots[i - 1].pc == slots[i].pc { slots[i - 1].d = words[k] }
        }
    }
}
