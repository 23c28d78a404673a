import RISCV
import RVMachine

/// The unbounded run's memo of straight-line code: for a pc, the decoded instructions from there
/// to the first one that leaves the line (a branch, a jump, an instruction routed by its family),
/// the end of the page, or a length cap, so that the loop runs them one after another without
/// fetching, checking the page and looking up the decode memo for each (see `Interpreter.runBlocks`).
///
/// It stays exact without fetching by two rules. Every block carries the epoch it was checked
/// in, and the loop moves to a new epoch whenever something could have changed code or what may
/// be fetched: any trip through the machine (a system instruction, a slow load or store, a trap,
/// the limit) and any fast store to a page that blocks were decoded from (`decodedPages`). A block
/// from an older epoch is compared word by word with memory (and its page's execute flag) before
/// it runs again, which costs what the per-instruction loop pays for each instruction, once.
final class BlockCache {
    /// One instruction of a block: its pc and the decode memo's entry (whose `word` holds the
    /// instruction's own bits, `Decoder.instructionBits`, to compare with memory).
    struct Slot {
        var pc: UInt32
        var inst: DecodeCache.Entry
    }

    /// Where a block lies in the arena and when it was last known to match memory.
    struct Block {
        var pc: UInt32
        /// Instructions in the block, its terminating `.blockEnd` slot not counted; 0: empty.
        var count: UInt32
        var start: UInt32
        var epoch: UInt32
    }

    static let blockCount = 1 << 14
    static let arenaCapacity = 1 << 16
    /// The longest block; a longer line is cut with a `.blockEnd` slot.
    static let maxLength = 64

    /// Direct-mapped by pc.
    let blocks: UnsafeMutablePointer<Block>
    /// Every block's slots, one after another; refilled from the start when full.
    let arena: UnsafeMutablePointer<Slot>
    var arenaTop = 0
    /// One byte per guest page: nonzero when a block of the current epoch was decoded from it.
    let decodedPages: UnsafeMutablePointer<UInt8>
    /// The epoch the last run ended in (the running loop keeps its own copy). Starts at 1 and
    /// skips 0 when it wraps (dropping every block then), so a zeroed `Block` is never current.
    var epoch: UInt32 = 1
    /// The slot that ends a block which falls through to its pc (not an instruction).
    let fallThrough: DecodeCache.Entry

    init() {
        var end = DecodeCache.Entry(word: 0, Decoder.shared.decode(0))
        end.handler = .blockEnd
        fallThrough = end
        blocks = .allocate(capacity: Self.blockCount)
        blocks.initialize(repeating: Block(pc: 0, count: 0, start: 0, epoch: 0), count: Self.blockCount)
        arena = .allocate(capacity: Self.arenaCapacity)
        decodedPages = .allocate(capacity: GuestMemory.pageCount + 1)
        decodedPages.initialize(repeating: 0, count: GuestMemory.pageCount + 1)
    }

    deinit {
        blocks.deallocate()
        arena.deallocate()
        decodedPages.deallocate()
    }

    /// The machine's cache, made on first use and freed with the machine.
    static func of(_ machine: Machine) -> BlockCache {
        if let existing = machine.attachments["block-cache"] as? BlockCache { return existing }
        let cache = BlockCache()
        machine.attachments["block-cache"] = cache
        return cache
    }

    /// Drops every block (the arena is full, or the epoch counter wrapped); the epoch stays.
    @inline(never)
    func forgetAll() {
        blocks.update(repeating: Block(pc: 0, count: 0, start: 0, epoch: 0), count: Self.blockCount)
        decodedPages.update(repeating: 0, count: GuestMemory.pageCount + 1)
        arenaTop = 0
    }

    /// Makes `block` the block that starts at `pc`, checked (or decoded) in `epoch`; false when the
    /// fetch at `pc` needs the machine (misaligned, not executable) or no instruction there can
    /// be placed in a block (one that straddles two pages), for the per-instruction loop to do.
    /// Runs only on a miss; out of line so that the loop stays small.
    @inline(never)
    func prepare(
        _ block: UnsafeMutablePointer<Block>, pc: UInt32, memory: UnsafeMutableRawPointer,
        flags: UnsafeMutablePointer<UInt8>, alignMask: UInt32, isa: ISA, epoch: UInt32
    ) -> Bool {
        let page = Int(pc >> 12)
        guard pc & alignMask == 0, flags[page] & PageFlag.execute != 0 else { return false }
        if block.pointee.pc == pc && block.pointee.count != 0 && matchesMemory(block.pointee, memory) {
            block.pointee.epoch = epoch
            decodedPages[page] = 1
            return true
        }
        if arenaTop + Self.maxLength + 1 > Self.arenaCapacity { forgetAll() }
        let start = arenaTop
        var count = 0
        var at = pc
        while true {
            let fetched = UInt32(littleEndian: (memory + Int(at)).loadUnaligned(as: UInt32.self))
            let inst = Decoder.shared.decode(fetched, isa: isa)
            // A 4-byte instruction in the page's last halfword needs the next page: left to the
            // per-instruction loop, which checks both.
            if inst.length == 4 && at & 0xfff == 0xffe {
                guard count > 0 else { return false }
                arena[start + count] = Slot(pc: at, inst: fallThrough)
                break
            }
            let entry = DecodeCache.Entry(word: Decoder.instructionBits(fetched), inst)
            arena[start + count] = Slot(pc: at, inst: entry)
            count += 1
            at &+= UInt32(inst.length)
            if entry.handler.endsBlock || entry.handler == .family { break }
            // The next instruction is on another page (whose flags this block did not check), or
            // the block is long enough: fall through to `at`.
            if at & 0xfff == 0 || count == Self.maxLength {
                arena[start + count] = Slot(pc: at, inst: fallThrough)
                break
            }
        }
        arenaTop = start + count + 1
        block.pointee = Block(pc: pc, count: UInt32(count), start: UInt32(start), epoch: epoch)
        decodedPages[page] = 1
        return true
    }

    /// Whether memory still holds the block's instructions (its page's execute flag was checked
    /// by the caller; a block never leaves its page).
    private func matchesMemory(_ block: Block, _ memory: UnsafeMutableRawPointer) -> Bool {
        let first = arena + Int(block.start)
        for i in 0..<Int(block.count) {
            let slot = first + i
            let fetched = UInt32(littleEndian: (memory + Int(slot.pointee.pc)).loadUnaligned(as: UInt32.self))
            if Decoder.instructionBits(fetched) != slot.pointee.inst.word { return false }
        }
        return true
    }
}
