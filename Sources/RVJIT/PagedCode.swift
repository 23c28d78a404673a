import RVMachine

/// A block's key in the code cache: its (virtual) pc in the low half, its translation context
/// in the high half.
///
/// A translation context is the JIT's small number for the machine's `fetchContext`: 0 while
/// fetches are physical (paging off, or M-mode), otherwise one number per `satp` value and
/// privilege (S or U) that code was fetched in. Code fetched through Sv32 depends on the mapping
/// of its page (which `satp` and the ASID select), on the privilege (a U page cannot be fetched
/// in S, a page without U not in U), and on the physical bytes. Keying by virtual pc and context
/// means a lookup needs no translation at all, address spaces switched back and forth keep their
/// blocks (as a TLB tagged by ASID keeps its entries), and the physical bytes are covered by the
/// physical pages each block registers (stores to them through any mapping invalidate it).
/// docs/privileged.md says why this and not the physical address.
struct BlockKey: Hashable {
    let raw: UInt64
    init(_ pc: UInt32, _ context: UInt32) { raw = UInt64(context) << 32 | UInt64(pc) }
}

extension JIT {
    /// Translation contexts kept before the whole cache is flushed and numbering starts again
    /// (each has its own jump cache of 64 KiB).
    static let maxContexts = 64

    /// Makes the machine's current `fetchContext` the dispatcher's: its number (a new one the
    /// first time), and its jump cache for the indirect jumps of its blocks.
    func enterContext(_ value: UInt64) {
        let number: UInt32
        if let known = contextNumbers[value] {
            number = known
        } else {
            if contextNumbers.count >= JIT.maxContexts { flushCodeCache() }
            number = nextContext
            nextContext &+= 1
            contextNumbers[value] = number
            contextValues[number] = value
        }
        let cache: UnsafeMutablePointer<JumpCacheEntry>
        if let known = jumpCaches[number] {
            cache = known
        } else {
            cache = .allocate(capacity: JumpCache.size)
            cache.initialize(repeating: JumpCacheEntry(), count: JumpCache.size)
            jumpCaches[number] = cache
        }
        context = number
        contextValue = value
        jumpCache = cache
        if machine.cpu.pointee.engine != nil { machine.cpu.pointee.engine = UnsafeMutableRawPointer(cache) }
    }

    /// After a whole-cache flush no block has a context: forget all but the physical one and
    /// the current one (a block being translated now belongs to it).
    func forgetContexts() {
        for (number, cache) in jumpCaches where number != 0 && number != context {
            cache.deallocate()
            jumpCaches[number] = nil
        }
        contextNumbers = contextNumbers.filter { $0.value == 0 || $0.value == context }
        contextValues = contextValues.filter { $0.key == 0 || $0.key == context }
    }

    /// The physical address a block at `pc` is read from in the current context, or nil when
    /// the closure tier leaves it to the interpreter: a fetch that faults (the interpreter
    /// raises it), or a first instruction that straddles two pages under Sv32 (its halves come
    /// through two mappings; the interpreter fetches it through both, and the block after it
    /// starts on the next page).
    func pagedFetchAddress(_ pc: UInt32) -> (physical: UInt32, superpage: Bool)? {
        guard context != 0 else { return (pc, false) }
        guard let mapping = machine.fetchMapping(pc) else { return nil }
        if pc & 0xfff == 0xffe && (machine.memory.read32(mapping.physical) & 3 == 3 || !machine.isa.contains(.c)) {
            statistics.pagedFallbacks &+= 1
            return nil
        }
        return mapping
    }

    /// `sfence.vma`: the blocks fetched through the fenced mappings may now stand for other
    /// code. They are unlinked and marked unverified; the dispatcher checks one when it finds
    /// it next (`reverify`): the same physical page through a mapping that still lets this
    /// privilege fetch keeps it (its bytes are covered by code-write invalidation), anything
    /// else drops it. So a fence costs a re-walk per block used again, not a re-translation.
    /// A block fetched through a superpage depends on its 4 MiB leaf, which a fence of any
    /// address in it reaches; a block on a 4 KiB page only on that page's leaf. An ASID
    /// reaches the contexts with that ASID (global mappings included: more than needed, never
    /// less).
    public func translationFenced(_ machine: Machine, address: UInt32?, asid: UInt16?) {
        statistics.translationFences &+= 1
        for b in blocks.values where b.context != 0 && !unverified.contains(b.key) {
            if let asid, Sv32.asid(UInt32(truncatingIfNeeded: (contextValues[b.context] ?? 0) >> 2)) != asid { continue }
            if let address, b.superpage ? b.pc >> 22 != address >> 22 : b.pc >> 12 != address >> 12 { continue }
            unlinkIncoming(b)
            unverified.insert(b.key)
        }
    }

    /// A block a fence reached, found again by the dispatcher in its own context: kept if its
    /// page still maps to the physical page it was read from (and may be fetched), else
    /// invalidated. Returns whether it may run.
    func reverify(_ b: CompiledBlock) -> Bool {
        unverified.remove(b.key)
        guard let mapping = machine.fetchMapping(b.pc), mapping.physical == b.physicalPC, mapping.superpage == b.superpage else {
            invalidate(b, reason: "sfence.vma: the page maps elsewhere now")
            return false
        }
        statistics.blocksReverified &+= 1
        return true
    }
}
