import RISCV

/// Sv32 virtual memory: the page-table walk (two levels, 4 MiB superpages), permission checks
/// (R/W/X/U, SUM, MXR), the accessed and dirty bits, page faults, and the one function every
/// slow path calls, `translate`.
///
/// The walker sets A (and D for a store) itself, writing the PTE back, as QEMU does (the
/// specification allows that or a page fault; Spike without Svadu faults). The walk's own reads
/// and writes are physical accesses at S-mode privilege: the memory map and PMP must allow them,
/// else the access faults (instruction, load or store access fault, `tval` the virtual address).
///
/// While translation applies to fetches or data accesses, the executors' fast paths see a page
/// flag table with no permissions at all (`Machine.unmappedFlags`), so that every fetch, load and
/// store takes the machine's slow path, which translates. With `satp` in Bare mode, or in M-mode
/// without MPRV, nothing changes and nothing is slower.
public enum Sv32 {
    public static let V: UInt8 = 1 << 0, R: UInt8 = 1 << 1, W: UInt8 = 1 << 2, X: UInt8 = 1 << 3
    public static let U: UInt8 = 1 << 4, G: UInt8 = 1 << 5, A: UInt8 = 1 << 6, D: UInt8 = 1 << 7

    /// `satp`: MODE (bit 31: 1 = Sv32), ASID (bits 30:22), root page number (bits 21:0).
    public static func enabled(_ satp: UInt32) -> Bool { satp >> 31 == 1 }
    public static func asid(_ satp: UInt32) -> UInt16 { UInt16(truncatingIfNeeded: (satp >> 22) & 0x1ff) }
    public static func rootPage(_ satp: UInt32) -> UInt32 { satp & 0x3f_ffff }
}

/// What an access wants of a page.
public enum AccessKind: Sendable {
    case fetch, load, store

    var pageFault: TrapCause {
        switch self {
        case .fetch: return .fetchPageFault
        case .load: return .loadPageFault
        case .store: return .storePageFault
        }
    }

    var accessFault: TrapCause {
        switch self {
        case .fetch: return .fetchAccess
        case .load: return .loadAccess
        case .store: return .storeAccess
        }
    }
}

extension Machine {
    /// The privilege data accesses are made at: MPP while MPRV is set (in M-mode), else the current one.
    public var dataPrivilege: Privilege {
        let p = privileged
        guard p.privilege == .machine, p.mstatus & PrivilegedState.MPRV != 0 else { return p.privilege }
        let mpp = (p.mstatus & PrivilegedState.MPPMask) >> PrivilegedState.MPPShift
        return mpp == 3 ? .machine : mpp == 1 ? .supervisor : .user
    }

    /// Recomputes whether fetches and data accesses are translated (after a write to `satp` or
    /// `mstatus`, a trap, `mret`, `sret`) and points the executors' fast paths at the right page
    /// flags. When that, or the fetch context, changes in the middle of a block (`instret` given:
    /// the instruction at that count retires first), the executors come back to the monitor right
    /// after it, so the JIT sees the change before running another translated block (a chained
    /// exit would otherwise enter a block of the old address space).
    func addressTranslationChanged(after instret: UInt64?) {
        let on = hasSupervisor && Sv32.enabled(privileged.satp)
        let fetch = on && privileged.privilege != .machine
        let data = on && dataPrivilege != .machine
        let context = fetch ? UInt64(privileged.satp) << 2 | UInt64(privileged.privilege.rawValue) : 0
        // What the TLB's entries permit may have changed (privilege, SUM, MXR, MPRV, satp).
        tlb.newGeneration()
        cpu.pointee.dataTLB = data ? tlb.fast : nil
        guard fetch != fetchTranslation || data != dataTranslation || context != fetchContext else { return }
        fetchContext = context
        fetchTranslation = fetch
        dataTranslation = data
        cpu.pointee.pageFlags = fetch || data ? unmappedFlags : memory.flags
        let at = instret.map { $0 &+ 1 } ?? cpu.pointee.instret
        cpu.pointee.limit = min(cpu.pointee.limit, at)
    }

    /// Translates `address` for an access of `kind`, filling the TLB on a miss; nil after raising
    /// the page fault or access fault (with `tval`, by default the address itself) at `pc`.
    public func translate(_ address: UInt32, _ kind: AccessKind, pc: UInt32, tval: UInt32? = nil) -> UInt32? {
        switch lookUp(address, kind) {
        case .physical(let pa): return pa
        case .fault(let cause):
            raise(Trap(cause, pc: pc, value: tval ?? address))
            return nil
        }
    }

    enum Translation { case physical(UInt32), fault(TrapCause) }

    /// The TLB, then the walk. Nothing is raised.
    func lookUp(_ address: UInt32, _ kind: AccessKind) -> Translation {
        let privilege = kind == .fetch ? privileged.privilege : dataPrivilege
        let asid = Sv32.asid(privileged.satp)
        let vpn = address >> 12
        if let e = tlb.lookup(vpn, asid: asid) {
            if permits(e.flags, kind, privilege) && (kind != .store || e.flags & Sv32.D != 0) {
                return physical(e.ppn, address, kind)
            }
            tlb.drop(vpn)
        }
        return walk(address, kind, privilege: privilege, asid: asid)
    }

    private func physical(_ ppn: UInt32, _ address: UInt32, _ kind: AccessKind) -> Translation {
        // Physical addresses have 34 bits; this machine has memory in the low 4 GiB only.
        guard ppn >> 20 == 0 else { return .fault(kind.accessFault) }
        return .physical(ppn << 12 | address & 0xfff)
    }

    /// Whether a leaf's flags allow `kind` at `privilege` under the current SUM and MXR.
    func permits(_ flags: UInt8, _ kind: AccessKind, _ privilege: Privilege) -> Bool {
        let status = privileged.mstatus
        if flags & Sv32.U != 0 {
            if privilege == .supervisor && (kind == .fetch || status & PrivilegedState.SUM == 0) { return false }
        } else if privilege == .user {
            return false
        }
        switch kind {
        case .fetch: return flags & Sv32.X != 0
        case .load: return flags & Sv32.R != 0 || status & PrivilegedState.MXR != 0 && flags & Sv32.X != 0
        case .store: return flags & Sv32.W != 0
        }
    }

    /// The two-level walk of the privileged specification (4.3.2).
    private func walk(_ address: UInt32, _ kind: AccessKind, privilege: Privilege, asid: UInt16) -> Translation {
        pageWalks &+= 1
        var table = UInt64(Sv32.rootPage(privileged.satp)) << 12
        var level = 1
        while true {
            let index = level == 1 ? address >> 22 : (address >> 12) & 0x3ff
            let pteAddress = table + UInt64(index) * 4
            guard walkMayAccess(pteAddress, perm: PageFlag.read) else { return .fault(kind.accessFault) }
            let pteAt = UInt32(truncatingIfNeeded: pteAddress)
            var pte = rawLoad(pteAt, size: 4)
            let flags = UInt8(truncatingIfNeeded: pte)
            if flags & Sv32.V == 0 || flags & (Sv32.R | Sv32.W) == Sv32.W { return pageFault(kind) }
            let ppn = pte >> 10
            if flags & (Sv32.R | Sv32.X) == 0 {
                // A pointer to the next level.
                guard level == 1, flags & (Sv32.U | Sv32.A | Sv32.D) == 0 else { return pageFault(kind) }
                table = UInt64(ppn) << 12
                level = 0
                continue
            }
            // A leaf: a superpage must be aligned to 4 MiB.
            if level == 1 && ppn & 0x3ff != 0 { return pageFault(kind) }
            guard permits(flags, kind, privilege) else { return pageFault(kind) }
            let wanted = Sv32.A | (kind == .store ? Sv32.D : 0)
            if flags & wanted != wanted {
                guard walkMayAccess(pteAddress, perm: PageFlag.write) else { return .fault(kind.accessFault) }
                pte |= UInt32(wanted)
                rawStore(pteAt, size: 4, value: pte)
                if memory.pageFlags(pteAt) & PageFlag.code != 0 { codeObserver?.codeWritten(self, address: pteAt, size: 4) }
            }
            let pagePPN = level == 1 ? ppn | (address >> 12) & 0x3ff : ppn
            tlb.insert(TLB.Entry(
                vpn: address >> 12, ppn: pagePPN, asid: asid, flags: UInt8(truncatingIfNeeded: pte), level: UInt8(level),
                valid: true))
            return physical(pagePPN, address, kind)
        }
    }

    private func pageFault(_ kind: AccessKind) -> Translation {
        pageFaults &+= 1
        return .fault(kind.pageFault)
    }

    /// Whether the walk may read (or write back) the PTE at `address`: memory the map has, not a
    /// device, and PMP allowing S-mode the access.
    private func walkMayAccess(_ address: UInt64, perm: UInt8) -> Bool {
        guard address + 4 <= 1 << 32 else { return false }
        let a = UInt32(truncatingIfNeeded: address)
        let page = Int(a >> GuestMemory.pageShift)
        let raw = physicalPageFlags?[page] ?? memory.flags[page]
        let f = debug?.physicalFlags(page, raw) ?? raw
        guard f & perm == perm, f & PageFlag.device == 0 else { return false }
        return kind != .bare || pmp.allows(a, size: 4, perm: perm, privilege: .supervisor)
    }

    // MARK: Translated slow paths

    /// Whether the executors' data fast path may use the TLB's fast entries: not while PMP or
    /// triggers check each access, a debugger watches, or misaligned accesses trap (those all
    /// need the slow path's checks, which the fast entries would skip).
    var fastPathsMayTranslate: Bool { !protectionActive && debug == nil && !trapMisaligned }

    /// A load through the MMU. An access that straddles two pages translates both first and is
    /// then carried out byte by byte (a fault on the second page reports its first byte).
    func translatedLoad(_ address: UInt32, width: MemoryWidth, pc: UInt32) -> UInt32? {
        let size = width.size
        guard let first = translate(address, .load, pc: pc) else { return nil }
        let last = address &+ size &- 1
        if last >> 12 == address >> 12 {
            if fastPathsMayTranslate { tlb.allowFast(address >> 12, frame: first & ~0xfff, store: false) }
            return physicalLoad(first, width: width, pc: pc, tval: address)
        }
        guard let second = translate(last & ~0xfff, .load, pc: pc) else { return nil }
        var value: UInt32 = 0
        for i in 0..<size {
            let a = address &+ i
            let pa = a >> 12 == address >> 12 ? first &+ i : second | a & 0xfff
            guard let byte = physicalLoad(pa, width: .byteUnsigned, pc: pc, tval: a) else { return nil }
            value |= byte << (8 &* i)
        }
        return width.extend(value)
    }

    /// A store through the MMU (see `translatedLoad`).
    func translatedStore(_ address: UInt32, width: MemoryWidth, value: UInt32, pc: UInt32) -> Bool {
        let size = width.size
        guard let first = translate(address, .store, pc: pc) else { return false }
        let last = address &+ size &- 1
        if last >> 12 == address >> 12 {
            if fastPathsMayTranslate { tlb.allowFast(address >> 12, frame: first & ~0xfff, store: true) }
            return physicalStore(first, width: width, value: value, pc: pc, tval: address)
        }
        guard let second = translate(last & ~0xfff, .store, pc: pc) else { return false }
        for i in 0..<size {
            let a = address &+ i
            let pa = a >> 12 == address >> 12 ? first &+ i : second | a & 0xfff
            guard physicalStore(pa, width: .byteUnsigned, value: value >> (8 &* i), pc: pc, tval: a) else { return false }
        }
        return true
    }

    /// A fetch through the MMU: the instruction's first halfword, and for a 4-byte instruction
    /// whose second half lies on the next page, that page's translation too (a fault there
    /// reports pc + 2). Returns the word as `fetch` does.
    func translatedFetch(_ pc: UInt32) -> UInt32? {
        guard let first = translate(pc, .fetch, pc: pc) else { return nil }
        guard physicalFetchAllowed(first, size: 2) else {
            raise(Trap(.fetchAccess, pc: pc, value: pc))
            return nil
        }
        let low = memory.read32(first) & 0xffff
        let long = low & 3 == 3 || !isa.contains(.c)
        var word: UInt32
        if long && pc & 0xfff == 0xffe {
            guard let second = translate(pc &+ 2, .fetch, pc: pc, tval: pc &+ 2) else { return nil }
            guard physicalFetchAllowed(second, size: 2) else {
                raise(Trap(.fetchAccess, pc: pc, value: pc &+ 2))
                return nil
            }
            word = low | (memory.read32(second) & 0xffff) << 16
        } else {
            guard physicalFetchAllowed(first, size: long ? 4 : 2) else {
                raise(Trap(.fetchAccess, pc: pc, value: pc))
                return nil
            }
            word = memory.read32(first)
        }
        if protectionActive && triggerFires(Triggers.execute, at: pc, pc: pc) { return nil }
        return word
    }

    /// The physical address the instruction at `pc` is fetched from now (translated while
    /// fetches are), and whether the translation came from a 4 MiB superpage (whose one leaf a
    /// `sfence.vma` of any address in it reaches); nil where fetching it would fault. Nothing
    /// is raised; the TLB may fill.
    public func fetchMapping(_ pc: UInt32) -> (physical: UInt32, superpage: Bool)? {
        guard fetchTranslation else { return (pc, false) }
        guard case .physical(let pa) = lookUp(pc, .fetch) else { return nil }
        let e = tlb.entries[TLB.index(pc >> 12)]
        return (pa, e.valid && e.vpn == pc >> 12 && e.level == 1)
    }

    /// The physical address `address` translates to now for `kind` at `privilege`, read from the
    /// page tables without touching anything (no TLB fill, no A/D update, no counts): for fault
    /// reports and traces. `address` itself where nothing is translated; nil where the access
    /// would fault.
    public func peekTranslation(_ address: UInt32, _ kind: AccessKind, privilege: Privilege) -> UInt32? {
        guard hasSupervisor, Sv32.enabled(privileged.satp), privilege != .machine else { return address }
        var table = UInt64(Sv32.rootPage(privileged.satp)) << 12
        for level in [1, 0] {
            let index = level == 1 ? address >> 22 : (address >> 12) & 0x3ff
            let at = table + UInt64(index) * 4
            guard at + 4 <= 1 << 32, memory.check(UInt32(truncatingIfNeeded: at), length: 4, perms: PageFlag.read) else { return nil }
            let pte = rawLoad(UInt32(truncatingIfNeeded: at), size: 4)
            let flags = UInt8(truncatingIfNeeded: pte)
            guard flags & Sv32.V != 0, flags & (Sv32.R | Sv32.W) != Sv32.W else { return nil }
            let ppn = pte >> 10
            if flags & (Sv32.R | Sv32.X) == 0 {
                table = UInt64(ppn) << 12  // a pointer (at level 0 the loop ends: a fault)
                continue
            }
            guard level == 0 || ppn & 0x3ff == 0, permits(flags, kind, privilege) else { return nil }
            let pagePPN = level == 1 ? ppn | (address >> 12) & 0x3ff : ppn
            guard pagePPN >> 20 == 0 else { return nil }
            return pagePPN << 12 | address & 0xfff
        }
        return nil
    }

    /// How a report names `address` as the hart at `privilege` sees it: as is where nothing is
    /// translated, else `virtual address 0x… (Sv32, ASID n) at physical 0x…` (or `not mapped`).
    public func describeAddress(_ address: UInt32, _ kind: AccessKind, privilege: Privilege) -> String {
        let hex = { (v: UInt32) in "0x" + String(v, radix: 16) }
        guard hasSupervisor, Sv32.enabled(privileged.satp), privilege != .machine else { return hex(address) }
        let space = "virtual address \(hex(address)) (Sv32, ASID \(Sv32.asid(privileged.satp)))"
        guard let physical = peekTranslation(address, kind, privilege: privilege) else { return space + " not mapped" }
        return space + " at physical \(hex(physical))"
    }

    /// Whether the instruction at virtual `pc` can be fetched (nothing is raised, the TLB may fill).
    func canFetchTranslated(_ pc: UInt32) -> Bool {
        guard isa.isAligned(pc), case .physical(let first) = lookUp(pc, .fetch), physicalFetchAllowed(first, size: 2) else {
            return false
        }
        let long = memory.read32(first) & 3 == 3 || !isa.contains(.c)
        guard long && pc & 0xfff == 0xffe else { return physicalFetchAllowed(first, size: long ? 4 : 2) }
        guard case .physical(let second) = lookUp(pc &+ 2, .fetch) else { return false }
        return physicalFetchAllowed(second, size: 2)
    }

    private func physicalFetchAllowed(_ address: UInt32, size: UInt32) -> Bool {
        protectionActive ? protectionAllows(address, size: size, perm: PageFlag.execute)
            : memory.check(address, length: size, perms: PageFlag.execute)
    }
}
