/// The translation look-aside buffer of Sv32: leaf translations by virtual page and address-space
/// identifier, filled by the page-table walker (`Sv32.swift`) and emptied by `sfence.vma`. Both
/// executors translate through the machine's slow paths, so they share this one TLB.
///
/// Direct-mapped, one entry per 4 KiB virtual page (a superpage fills one entry per 4 KiB page
/// used, each remembering that its leaf was a superpage so that `sfence.vma` of any address in
/// it drops them all). An entry keeps the leaf PTE's flag bits as they were after the walker set
/// A (and D): permission checks are made on every use against the current privilege, SUM and MXR;
/// a use that the entry does not permit, or a store through an entry without D, walks again.
public final class TLB {
    public static let size = 256

    public struct Entry: Sendable {
        /// Virtual page number (address >> 12).
        public var vpn: UInt32 = 0
        /// Physical page number of that 4 KiB page (up to 22 bits: 34-bit physical addresses).
        public var ppn: UInt32 = 0
        public var asid: UInt16 = 0
        /// The leaf PTE's low 8 bits: V R W X U G A D.
        public var flags: UInt8 = 0
        /// 1: the leaf was a 4 MiB superpage; 0: a 4 KiB page.
        public var level: UInt8 = 0
        public var valid = false

        public var global: Bool { flags & Sv32.G != 0 }

        /// Whether this entry translates `address` (any of its superpage, for a superpage leaf).
        func covers(_ address: UInt32) -> Bool {
            level == 1 ? vpn >> 10 == address >> 22 : vpn == address >> 12
        }
    }

    /// The data fast path's view of the TLB: for each entry, whether loads and stores through
    /// it are allowed under the current privilege, SUM and MXR (filled by the slow path after a
    /// translation succeeded), and the physical page. An entry is valid while its tag is
    /// `generation << 20 | vpn`: replacing or dropping the TLB entry clears it, and anything
    /// that changes what the entries permit (a flush, a change of privilege, of `mstatus`, of
    /// `satp`) starts a new generation, which makes every fast entry stale at once.
    public struct FastEntry: Sendable {
        public var loadTag: UInt32 = 0
        public var storeTag: UInt32 = 0
        /// The physical page's address (ppn << 12).
        public var frame: UInt32 = 0
    }

    let entries: UnsafeMutablePointer<Entry>
    public let fast: UnsafeMutablePointer<FastEntry>
    /// The CPU state whose `dataTLBTag` follows the generation (set by the machine).
    var tagOwner: UnsafeMutablePointer<CPUState>? = nil
    private var generation: UInt32 = 1
    public private(set) var hits: UInt64 = 0
    public private(set) var misses: UInt64 = 0
    public private(set) var flushes: UInt64 = 0

    public init() {
        entries = .allocate(capacity: TLB.size)
        entries.initialize(repeating: Entry(), count: TLB.size)
        fast = .allocate(capacity: TLB.size)
        fast.initialize(repeating: FastEntry(), count: TLB.size)
    }

    deinit {
        entries.deallocate()
        fast.deallocate()
    }

    /// The tag a fast entry for `vpn` carries in this generation.
    var fastTag: UInt32 { generation << 20 }

    /// Makes every fast entry stale (generations have 12 bits; tag 0 is never current).
    func newGeneration() {
        generation &+= 1
        if generation >= 1 << 12 {
            for i in 0..<TLB.size { fast[i] = FastEntry() }
            generation = 1
        }
        tagOwner?.pointee.dataTLBTag = fastTag
    }

    /// Lets loads (or stores) through the entry for `vpn` take the fast path, at physical `frame`.
    func allowFast(_ vpn: UInt32, frame: UInt32, store: Bool) {
        let i = TLB.index(vpn)
        guard entries[i].valid, entries[i].vpn == vpn else { return }
        if fast[i].frame != frame { fast[i] = FastEntry() }
        fast[i].frame = frame
        if store { fast[i].storeTag = fastTag | vpn } else { fast[i].loadTag = fastTag | vpn }
    }

    @inline(__always)
    static func index(_ vpn: UInt32) -> Int { Int(vpn & UInt32(TLB.size - 1)) }

    /// The entry for virtual page `vpn` in address space `asid` (or global), if present.
    func lookup(_ vpn: UInt32, asid: UInt16) -> Entry? {
        let e = entries[TLB.index(vpn)]
        guard e.valid, e.vpn == vpn, e.global || e.asid == asid else {
            misses &+= 1
            return nil
        }
        hits &+= 1
        return e
    }

    func insert(_ e: Entry) {
        let i = TLB.index(e.vpn)
        entries[i] = e
        fast[i] = FastEntry()
    }

    /// Drops the entry for `vpn` (a use it did not permit walks again).
    func drop(_ vpn: UInt32) {
        let i = TLB.index(vpn)
        if entries[i].vpn == vpn {
            entries[i].valid = false
            fast[i] = FastEntry()
        }
    }

    public func flushAll() {
        flushes &+= 1
        for i in 0..<TLB.size { entries[i].valid = false }
        newGeneration()
    }

    /// `sfence.vma`: `address` nil for all addresses, `asid` nil for all address spaces (an ASID
    /// given spares global entries).
    public func flush(address: UInt32?, asid: UInt16?) {
        if address == nil && asid == nil { flushAll(); return }
        flushes &+= 1
        newGeneration()
        for i in 0..<TLB.size where entries[i].valid {
            let e = entries[i]
            if let address, !e.covers(address) { continue }
            if let asid, e.global || e.asid != asid { continue }
            entries[i].valid = false
        }
    }
}
