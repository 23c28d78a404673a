import RVMachine

/// Which executor ran or compiled a block: the interpreter, closures or x86-64 machine code.
public enum Tier: String, Sendable, CaseIterable {
    case interp, closure, native
}

/// A chainable way out of a compiled block, as the translator holds it: opaque outside the
/// backends (the translator compares exits, keeps them in its link lists and hands them back to
/// the backend that made them; it never looks inside).
public struct BlockExit: Hashable {
    let address: UnsafeMutableRawPointer
}

/// What the translator asks of a backend: to turn optimised IR into something executable, and
/// to chain, unchain and free what it made.
///
/// The translator (`JIT`) owns block discovery, IR, passes, the code cache by pc, the chain
/// link lists, invalidation by page and the jump cache; a backend owns the representation of
/// its blocks. Every call here happens at translation, linking or invalidation time, never while
/// guest code runs: blocks run through the entry convention `ClosureBackend.run` shares with
/// every backend, which the dispatcher calls directly (no protocol call per block).
protocol JITBackend: AnyObject {
    /// The tier this backend compiles for.
    var tier: Tier { get }

    /// Whether this backend can compile `ir` (the closure backend takes every block).
    func accepts(_ ir: IRBlock) -> Bool

    /// Compiles a block it accepts; nil when its code memory is full (the translator flushes
    /// the code cache and asks again).
    func compile(_ ir: IRBlock, _ request: CompileRequest) -> CompiledBlock?

    /// Points `exit` (made by this backend) at `target`'s entry, whatever tier made `target`.
    func link(_ exit: BlockExit, to target: CompiledBlock)

    /// Points `exit` back at the dispatcher (its target is being invalidated).
    func unlink(_ exit: BlockExit)

    /// Whether `exit` (made by this backend) is linked to a block now.
    func isLinked(_ exit: BlockExit) -> Bool

    /// The guest pc of the instruction `exit` leaves from (for chain traces).
    func sourcePC(of exit: BlockExit) -> UInt32

    /// Whether this backend made `exit`.
    func made(_ exit: BlockExit) -> Bool

    /// Frees a block's memory; the translator calls this only when no block can be running.
    func release(_ block: CompiledBlock)

    /// Forgets every block at once (after a whole-cache flush, when none can be running).
    func reset()
}

/// What a translation asks of the backend besides the IR.
struct CompileRequest {
    /// The machine has the C extension (jump targets are 2-byte aligned).
    var compressed: Bool
    /// A closure block the native tier could take: its entry counts down from this many
    /// executions and then asks the translator to compile it again natively.
    var promoteAfter: UInt32? = nil
    /// Instruction tracing of this block: each guest instruction's word and pc, which the IR
    /// does not carry.
    var retired: (words: [UInt32], pcs: [UInt32])? = nil
}
