import RISCV
import RVMachine

/// The machine code of one native-tier block: where it runs and its bytes (for `--trace blocks`).
public struct NativeCode: Sendable {
    public var address: UInt
    public var bytes: [UInt8]
}

/// The native tier's backend: IR → x86-64 in executable memory, wrapped in a block the code
/// cache handles like any other.
///
/// A native block keeps the slot convention at its edges (see `ClosureBackend`): slot 0 is its
/// entry (its handler calls the machine code through the shared prologue; its `link` holds the
/// code's address, which native indirect jumps read from the jump cache), and one slot per
/// chainable exit records where that exit's `jmp`/`jcc` displacement lies, so linking and
/// unlinking can patch it (`link`, `unlink`). Those slots are this backend's own: the
/// translator sees only `BlockExit`s.
final class NativeBackend: JITBackend {
    let memory: ExecutableMemory
    let prologue: UInt64
    let epilogue: UInt64
    private let stubBytes: Int
    /// The translation options (which blocks the native tier can take; counted executions).
    private let options: CompileOptions
    /// Jump displacements rewritten for chain links and their removal.
    private(set) var patches: UInt64 = 0

    /// Code memory reserved for the native tier (address space only until written).
    static let capacity = 64 << 20

    /// Marks a native exit slot (`Slot.spare`).
    static let exitMark: UInt8 = 1
    /// Marks a native entry slot, whose `link` is the block's code (closure entries use theirs
    /// for counters): native indirect jumps check it before jumping.
    static let entryMark: UInt8 = 2

    var tier: Tier { .native }

    init?(options: CompileOptions, capacity: Int = NativeBackend.capacity) {
        self.options = options
        guard let m = ExecutableMemory(capacity: capacity) else { return nil }
        let stub = NativeCompiler.prologueAndEpilogue()
        guard let p = m.append(stub.bytes) else { return nil }
        memory = m
        prologue = UInt64(UInt(bitPattern: p))
        epilogue = prologue &+ UInt64(stub.epilogueOffset)
        stubBytes = stub.bytes.count
    }

    /// Forgets every block (after a code cache flush, when none can be running).
    func reset() { memory.reset(keeping: stubBytes) }

    /// Whether the native tier can compile `ir` (`NativeCompiler.supports`); other blocks stay closures.
    func accepts(_ ir: IRBlock) -> Bool { NativeCompiler.supports(ir, options: options) }

    /// Compiles a block it `accepts`; nil when the code memory is full.
    func compile(_ ir: IRBlock, _ request: CompileRequest) -> CompiledBlock? {
        let compressed = request.compressed, counted = options.countExecutions
        let exitCount = NativeCompiler.exitCount(ir)
        let count = 1 + exitCount
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: count)
        let back = UInt16(truncatingIfNeeded: ir.length)
        slots.initialize(
            to: Slot(NativeBackend.enter, c: UInt32(truncatingIfNeeded: prologue), d: UInt32(truncatingIfNeeded: prologue >> 32),
                     pc: ir.pc, back: back, size: 0))
        for k in 1..<count { (slots + k).initialize(to: Slot(Handlers.jump, pc: ir.pc, back: 1, size: 0)) }
        let counter = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        counter.initialize(to: 0)
        let address = memory.nextAddress
        let context = NativeCompiler.Context(
            address: UInt64(UInt(bitPattern: address)), epilogue: epilogue, entrySlot: UInt64(UInt(bitPattern: slots)),
            exitSlots: (1..<count).map { UInt64(UInt(bitPattern: slots + $0)) }, compressed: compressed,
            counter: counted ? UInt64(UInt(bitPattern: counter)) : nil)
        let out = NativeCompiler.compile(ir, context: context)
        guard out.exits.count == exitCount, let code = memory.append(out.bytes), code == address else {
            slots.deinitialize(count: count)
            slots.deallocate()
            counter.deallocate()
            return nil
        }
        slots[0].link = code
        slots[0].spare = NativeBackend.entryMark
        var exits: [(Int, UInt32)] = []
        for (k, e) in out.exits.enumerated() {
            let s = slots + 1 + k
            let site = UInt64(UInt(bitPattern: code + e.site))
            s.pointee.a = UInt32(truncatingIfNeeded: site)
            s.pointee.b = UInt32(truncatingIfNeeded: site >> 32)
            s.pointee.c = UInt32(bitPattern: Int32(truncatingIfNeeded: e.stub - (e.site + 4)))  // the unlinked displacement
            s.pointee.d = e.target
            s.pointee.pc = e.pc
            s.pointee.spare = NativeBackend.exitMark
            exits.append((1 + k, e.target))
        }
        let block = CompiledBlock(
            pc: ir.pc, endPC: ir.endPC, length: ir.length, tier: .native, adopting: slots, count: count, counter: counter, exits: exits,
            shapes: ["native.entry"] + Array(repeating: "native.exit", count: exitCount))
        block.native = NativeCode(address: UInt(bitPattern: code), bytes: out.bytes)
        return block
    }

    /// Calls a native block's code through the prologue: the entry slot's handler.
    static let enter: Handler = { p, c in
        let s = slot(p)
        let stub = UInt(s.pointee.c) | UInt(s.pointee.d) << 32
        guard let raw = UnsafeRawPointer(bitPattern: stub) else { return nil }
        let entry = unsafeBitCast(raw, to: NativeRuntime.Entry.self)
        return entry(c, s.pointee.link)
    }

    // MARK: Chain links

    /// A native exit chained to `block`: its slot's link holds the block's entry (which the
    /// exit's stub hands to the trampoline), and when the target is native too the exit jumps
    /// straight to its code (the displacement patched).
    func link(_ handle: BlockExit, to block: CompiledBlock) {
        let exit = slot(handle.address)
        exit.pointee.link = block.entry
        guard exit.pointee.spare == NativeBackend.exitMark, let code = block.native else { return }
        let site = UInt(exit.pointee.a) | UInt(exit.pointee.b) << 32
        guard let p = UnsafeMutableRawPointer(bitPattern: site) else { return }
        let displacement = Int64(bitPattern: UInt64(code.address) &- UInt64(site &+ 4))
        write(p, Int32(truncatingIfNeeded: displacement))
    }

    /// Points a native exit back at its stub (its target was invalidated).
    func unlink(_ handle: BlockExit) {
        let exit = slot(handle.address)
        exit.pointee.link = nil
        guard exit.pointee.spare == NativeBackend.exitMark else { return }
        let site = UInt(exit.pointee.a) | UInt(exit.pointee.b) << 32
        guard let p = UnsafeMutableRawPointer(bitPattern: site) else { return }
        write(p, Int32(bitPattern: exit.pointee.c))
    }

    func isLinked(_ exit: BlockExit) -> Bool { slot(exit.address).pointee.link != nil }

    func sourcePC(of exit: BlockExit) -> UInt32 { slot(exit.address).pointee.pc }

    func made(_ exit: BlockExit) -> Bool { slot(exit.address).pointee.spare == NativeBackend.exitMark }

    /// Frees the block's slots; its machine code stays in the code memory until `reset`.
    func release(_ block: CompiledBlock) { block.releaseSlots() }

    private func write(_ site: UnsafeMutableRawPointer, _ v: Int32) {
        let u = UInt32(bitPattern: v)
        memory.patch(site, (0..<4).map { UInt8(truncatingIfNeeded: u >> (8 * UInt32($0))) })
        patches &+= 1
    }
}
