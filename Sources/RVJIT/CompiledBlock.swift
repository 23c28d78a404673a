import RVMachine

/// A compiled block: the handle the translator's code cache keeps, and what the tracer shows.
///
/// The translator reads its guest range, its entry (opaque: the dispatcher and the jump cache
/// hand it to `ClosureBackend.run`), its chainable exits (opaque `BlockExit`s with their
/// targets) and its counter. What it is made of belongs to the backends: every tier's block is
/// an array of slots, whose first is the entry (a native block's entry slot calls its machine
/// code, and its exit slots are the handles its patchable jumps are linked through).
public final class CompiledBlock {
    public let pc: UInt32
    public let endPC: UInt32
    public let length: Int
    /// The tier that compiled it.
    public let tier: Tier
    let slots: UnsafeMutablePointer<Slot>
    let slotCount: Int
    /// Execution counter (read by profiles; written only by counted entries).
    let counter: UnsafeMutablePointer<UInt64>
    /// Indices of exit slots that can be chained, with their target pcs.
    let exitSlots: [(slot: Int, target: UInt32)]
    /// The handler shape chosen for each slot, for `--trace blocks`.
    public let shapes: [String]

    /// The machine code of a native-tier block (its entry slot calls it); nil for closures.
    public internal(set) var native: NativeCode? = nil
    /// The translation context the block was fetched in (the JIT's number for the machine's
    /// `fetchContext`; 0: fetched physically) and the physical address its first instruction
    /// was read from (`pc` when fetched physically): what the code cache keys and invalidates by.
    public internal(set) var context: UInt32 = 0
    public internal(set) lazy var physicalPC: UInt32 = pc
    /// Under Sv32: the block's page was mapped by a 4 MiB superpage.
    public internal(set) var superpage = false

    /// Where the block is entered (by the dispatcher, chain links and the jump cache).
    var entry: UnsafeMutableRawPointer { UnsafeMutableRawPointer(slots) }
    public var executions: UInt64 { counter.pointee }
    /// Host bytes of the block's code: its slots, counter and record, and its machine code.
    var bytes: Int { slotCount * MemoryLayout<Slot>.stride + 8 + 64 + (native?.bytes.count ?? 0) }

    /// The exits the translator may chain, with the pc each leads to.
    var exits: [(exit: BlockExit, target: UInt32)] {
        exitSlots.map { (BlockExit(address: UnsafeMutableRawPointer(slots + $0.slot)), $0.target) }
    }

    /// Whether `address` lies in this block's own memory (an exit of it, waiting to be linked).
    func holds(_ address: UnsafeMutableRawPointer) -> Bool {
        address >= UnsafeMutableRawPointer(slots) && address < UnsafeMutableRawPointer(slots + slotCount)
    }

    convenience init(pc: UInt32, endPC: UInt32, length: Int, tier: Tier, slots: [Slot], exits: [(Int, UInt32)], shapes: [String]) {
        let buffer = UnsafeMutablePointer<Slot>.allocate(capacity: slots.count)
        buffer.initialize(from: slots, count: slots.count)
        let counter = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        counter.initialize(to: 0)
        self.init(
            pc: pc, endPC: endPC, length: length, tier: tier, adopting: buffer, count: slots.count, counter: counter,
            exits: exits, shapes: shapes)
    }

    /// A block over slots and an execution counter already in place (the native backend makes
    /// them before the code that refers to them); the block frees them.
    init(
        pc: UInt32, endPC: UInt32, length: Int, tier: Tier, adopting slots: UnsafeMutablePointer<Slot>, count: Int,
        counter: UnsafeMutablePointer<UInt64>, exits: [(Int, UInt32)], shapes: [String]
    ) {
        self.pc = pc
        self.endPC = endPC
        self.length = length
        self.tier = tier
        slotCount = count
        self.slots = slots
        self.counter = counter
        exitSlots = exits
        self.shapes = shapes
        for i in 0..<slotCount where shapes[i].hasPrefix("enter") {
            self.slots[i].link = UnsafeMutableRawPointer(counter)
        }
    }

    private var slotsReleased = false

    /// Frees the slots. Only a backend's `release` calls this, and never while the block may be running.
    func releaseSlots() {
        guard !slotsReleased else { return }
        slotsReleased = true
        slots.deinitialize(count: slotCount)
        slots.deallocate()
    }

    deinit {
        releaseSlots()
        counter.deallocate()
    }
}
