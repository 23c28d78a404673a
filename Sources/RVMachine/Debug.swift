import RISCV

/// What a watchpoint watches (the numbers are the remote protocol's `Z2`, `Z3`, `Z4`).
public enum WatchKind: UInt8, Sendable {
    case write = 2, read = 3, access = 4
}

/// A debugger's breakpoints and watchpoints, owned by the debugger, not by the guest.
///
/// They work the way the trigger module works (`Protection.swift`), through the page flags, so
/// that a run pays nothing for a debugger that is not there and nothing on pages it does not
/// watch: a page holding a breakpoint loses its execute bit (its translations are dropped, the
/// JIT does not translate there, both engines fetch through `Machine.fetch`, which stops before
/// an instruction at a breakpoint); a page holding a write watchpoint carries `PageFlag.watch`
/// (stores take the slow path, as for an LR reservation) and one holding a read or access
/// watchpoint `PageFlag.device` (loads and stores take the slow path), where `watchpointHit`
/// stops before the access happens, with pc at the accessing instruction — as an `mcontrol`
/// trigger with `timing` = 0 does, which is what gdb expects of RISC-V watchpoints (they are
/// "non-steppable": gdb steps over the access itself with the watchpoint removed).
///
/// They are separate from the guest's two triggers (`Triggers.swift`): those are guest-visible
/// state a bare-metal guest may use itself, and a Linux run has no trigger module; the debugger
/// is not limited to two, and the guest cannot see or disturb what the debugger set.
public final class DebugState {
    public struct Watchpoint: Equatable, Sendable {
        public var kind: WatchKind
        public var address: UInt32
        public var length: UInt32
    }

    public internal(set) var breakpoints: Set<UInt32> = []
    public internal(set) var watchpoints: [Watchpoint] = []
    /// Off while the debugger steps over an instruction (gdb removes its breakpoints then anyway).
    public var breakpointsEnabled = true
    public var watchpointsEnabled = true

    /// Pages whose execute bit the debugger cleared, and pages it marked.
    var hiddenExecute: Set<Int> = []
    var devicePages: Set<Int> = []
    public internal(set) var storeWatchedPages: Set<Int> = []

    public init() {}

    /// The flags a page had before the debugger narrowed it (what permission checks see).
    func physicalFlags(_ page: Int, _ flags: UInt8) -> UInt8 {
        var f = flags
        if hiddenExecute.contains(page) { f |= PageFlag.execute }
        if devicePages.contains(page) { f &= ~PageFlag.device }
        return f
    }
}

extension Machine {
    /// Attaches a debugger's (empty) breakpoint and watchpoint sets.
    public func attachDebugger() -> DebugState {
        if let debug { return debug }
        let d = DebugState()
        debug = d
        return d
    }

    public func insertBreakpoint(_ pc: UInt32) {
        guard let d = debug else { return }
        d.breakpoints.insert(pc)
        applyDebugFlags(d)
    }

    public func removeBreakpoint(_ pc: UInt32) {
        guard let d = debug else { return }
        d.breakpoints.remove(pc)
        applyDebugFlags(d)
    }

    /// The longest range one watchpoint may cover (gdb falls back to software watchpoints,
    /// single steps, for what the target refuses).
    public static let maxWatchLength: UInt32 = 1 << 20

    /// Watches `[address, address + length)`; false for a length of 0, over `maxWatchLength`, or
    /// past the address space.
    @discardableResult
    public func insertWatchpoint(_ kind: WatchKind, address: UInt32, length: UInt32) -> Bool {
        guard let d = debug, length > 0, length <= Machine.maxWatchLength, UInt64(address) + UInt64(length) <= 1 << 32
        else { return false }
        d.watchpoints.append(.init(kind: kind, address: address, length: length))
        applyDebugFlags(d)
        return true
    }

    public func removeWatchpoint(_ kind: WatchKind, address: UInt32, length: UInt32) {
        guard let d = debug else { return }
        if let i = d.watchpoints.firstIndex(of: .init(kind: kind, address: address, length: length)) { d.watchpoints.remove(at: i) }
        applyDebugFlags(d)
    }

    /// Removes every breakpoint and watchpoint (the debugger detached) and gives the pages back.
    public func detachDebugger() {
        guard let d = debug else { return }
        d.breakpoints.removeAll()
        d.watchpoints.removeAll()
        applyDebugFlags(d)
        debug = nil
    }

    /// Brings the page flags in line with the debugger's sets: pages that must leave the fast
    /// paths leave them (their translations are dropped), pages that no longer must come back.
    /// `force` re-applies the marks after protection recomputed every page's flags.
    func applyDebugFlags(_ d: DebugState, force: Bool = false) {
        let flags = memory.flags
        let pageShift = Int(GuestMemory.pageShift)
        var execute = Set<Int>(), device = Set<Int>(), store = Set<Int>()
        for pc in d.breakpoints { execute.insert(Int(pc >> GuestMemory.pageShift)) }
        for w in d.watchpoints {
            for page in GuestMemory.pages(w.address, length: UInt64(w.length)) {
                if w.kind == .write { store.insert(page) } else { device.insert(page) }
            }
        }
        // Execute: pages that had the bit lose it; pages given back get it back.
        for page in d.hiddenExecute.subtracting(execute) where !force {
            flags[page] |= PageFlag.execute
            d.hiddenExecute.remove(page)
        }
        if force { d.hiddenExecute = d.hiddenExecute.intersection(execute) }
        for page in execute where flags[page] & PageFlag.execute != 0 {
            flags[page] &= ~PageFlag.execute
            d.hiddenExecute.insert(page)
            hostWillWrite(UInt32(truncatingIfNeeded: page << pageShift), length: UInt64(GuestMemory.pageSize))
        }
        // Loads and stores: the device bit, unless the page is a device already.
        for page in d.devicePages.subtracting(device) where !force {
            flags[page] &= ~PageFlag.device
            d.devicePages.remove(page)
        }
        if force { d.devicePages = d.devicePages.intersection(device) }
        for page in device where flags[page] & PageFlag.device == 0 && flags[page] & PageFlag.rwx != 0 {
            flags[page] |= PageFlag.device
            d.devicePages.insert(page)
        }
        // Stores only: the watch bit, which an LR reservation may need too.
        let reserved = reservation.map { Int($0 >> GuestMemory.pageShift) }
        for page in d.storeWatchedPages.subtracting(store) where page != reserved {
            flags[page] &= ~PageFlag.watch
        }
        for page in store { flags[page] |= PageFlag.watch }
        d.storeWatchedPages = store
    }

    /// A load or store slow path: whether a watchpoint covers the access. If so the machine has
    /// stopped with the watchpoint (the access does not happen; pc is the instruction's).
    func watchpointHit(_ address: UInt32, size: UInt32, store: Bool) -> Bool {
        guard let d = debug, d.watchpointsEnabled else { return false }
        let end = UInt64(address) + UInt64(size)
        for w in d.watchpoints where UInt64(w.address) < end && UInt64(address) < UInt64(w.address) + UInt64(w.length) {
            let matches: Bool
            switch w.kind {
            case .write: matches = store
            case .read: matches = !store
            case .access: matches = true
            }
            if matches {
                halt(.watchpoint(w.kind, w.address))
                return true
            }
        }
        return false
    }

    /// `fetch` with a debugger attached: stops before an instruction at a breakpoint; fetches on
    /// pages whose execute bit it hid as the page's own rights allow.
    func debugFetch(_ pc: UInt32, _ d: DebugState) -> UInt32? {
        if d.breakpointsEnabled && d.breakpoints.contains(pc) {
            halt(.breakpoint(pc))
            return nil
        }
        let pages = [Int(pc >> GuestMemory.pageShift), Int((pc &+ 2) >> GuestMemory.pageShift)]
        let hidden = pages.filter { d.hiddenExecute.contains($0) }
        for page in hidden { memory.flags[page] |= PageFlag.execute }
        defer { for page in hidden { memory.flags[page] &= ~PageFlag.execute } }
        return fetchChecked(pc)
    }

    /// The physical address of the debugger's `address`: under Sv32 (below M) translated as the
    /// hart sees it now, for a load or else for a fetch (code in execute-only pages), without
    /// side effects (`peekTranslation`); the address itself where nothing is translated; nil
    /// where it is not mapped.
    public func debuggerPhysical(_ address: UInt32) -> UInt32? {
        guard fetchTranslation || dataTranslation else { return address }
        let privilege = privileged.privilege
        return peekTranslation(address, .load, privilege: privilege == .machine ? dataPrivilege : privilege)
            ?? peekTranslation(address, .fetch, privilege: privilege)
    }

    /// Whether the debugger may read `[address, address + length)`: every page mapped with some right.
    public func debuggerCanRead(_ address: UInt32, length: UInt32) -> Bool {
        guard UInt64(address) + UInt64(length) <= 1 << 32 else { return false }
        for page in GuestMemory.pages(address, length: UInt64(length)) {
            let f = debug?.physicalFlags(page, memory.flags[page]) ?? memory.flags[page]
            if f & PageFlag.rwx == 0 { return false }
        }
        return true
    }
}

/// One exception or interrupt as the `traps` trace shows it.
public struct TrapRecord: Sendable, Equatable {
    public var interrupt: Bool
    public var cause: UInt32
    /// What went to `mtval`.
    public var value: UInt32
    /// Where it was taken (`mepc`).
    public var pc: UInt32
    /// The handler entered; nil when nothing handles it (a Linux process dies of it).
    public var handler: UInt32?
    public var from: Privilege
    public var to: Privilege
    /// `satp` when the trap was taken: with Sv32 on and `from` below M, `pc` (and a page
    /// fault's `value`) are virtual addresses in its ASID.
    public var satp: UInt32 = 0

    /// Whether `pc` is a virtual address (Sv32 on, taken below M).
    public var virtualPC: Bool { Sv32.enabled(satp) && from != .machine }

    public init(interrupt: Bool, cause: UInt32, value: UInt32, pc: UInt32, handler: UInt32?, from: Privilege, to: Privilege) {
        self.interrupt = interrupt
        self.cause = cause
        self.value = value
        self.pc = pc
        self.handler = handler
        self.from = from
        self.to = to
    }

    /// The cause's name (`illegal instruction`, `machine timer interrupt`, …).
    public var causeName: String {
        if interrupt {
            switch cause {
            case 3: return "machine software interrupt"
            case 7: return "machine timer interrupt"
            case 11: return "machine external interrupt"
            default: return "interrupt \(cause)"
            }
        }
        return TrapCause(rawValue: cause).map { "\($0)" } ?? "exception \(cause)"
    }
}
