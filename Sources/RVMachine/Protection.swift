import RISCV

/// PMP and the trigger module reach the executors through the page flags, so that a machine
/// that uses neither pays nothing on its fast paths.
///
/// While either can deny or intercept an access at the current privilege ("protection is
/// active"), each mapped page's flags are the physical memory map's permissions narrowed to what
/// PMP allows for the whole page. A page that PMP entries split, or that holds a trigger's
/// address, leaves the fast paths: its execute bit is cleared (fetches take `Machine.fetch`, and
/// the JIT does not translate there) and it is marked as a device (loads and stores take the
/// machine's slow path), where every access is checked on its own. The flags are recomputed when
/// a PMP or trigger CSR is written and when the privilege changes while protection matters.
extension Machine {
    /// Recomputes the page flags for the current PMP configuration, triggers and privilege.
    public func refreshProtection() {
        let privilege = privileged.privilege
        let pmpRestricts = kind == .bare && pmp.restricts(privilege)
        let active = kind == .bare && (pmpRestricts || triggers.armed)
        protectionDependsOnPrivilege = kind == .bare && (pmp.restricts(.machine) || pmp.restricts(.user) || triggers.armed)
        guard active || protectionActive else { return }
        let flags = memory.flags
        let physical: UnsafeMutablePointer<UInt8>
        if let p = physicalPageFlags {
            physical = p
        } else {
            // The physical memory map, as the loader and devices left it (bare machines do not
            // remap memory afterwards).
            physical = .allocate(capacity: GuestMemory.pageCount + 1)
            for page in 0...GuestMemory.pageCount { physical[page] = flags[page] & (PageFlag.rwx | PageFlag.device) }
            physicalPageFlags = physical
        }
        var special: [Int: UInt8] = [:]  // pages that must leave the fast paths, and how
        if active {
            for i in 0..<Triggers.count where triggers.control[i] & (Triggers.m | Triggers.u) != 0 {
                let page = Int(triggers.address[i] >> GuestMemory.pageShift)
                if triggers.control[i] & Triggers.execute != 0 { special[page, default: 0] |= PageFlag.execute }
                if triggers.control[i] & (Triggers.load | Triggers.store) != 0 { special[page, default: 0] |= PageFlag.device }
            }
        }
        let dynamic = PageFlag.code | PageFlag.watch
        for page in 0..<GuestMemory.pageCount where physical[page] != 0 {
            var f = physical[page]
            if active && pmpRestricts {
                if let allowed = pmp.pagePermissions(UInt32(page), privilege: privilege) {
                    f &= ~PageFlag.rwx | allowed
                } else {
                    f = (f & ~PageFlag.execute) | PageFlag.device  // split by PMP entries
                }
            }
            if let s = special[page] {
                if s & PageFlag.execute != 0 { f &= ~PageFlag.execute }
                if s & PageFlag.device != 0 { f |= PageFlag.device }
            }
            let old = flags[page]
            flags[page] = (old & dynamic) | f
            // Translated code on a page that can no longer be fetched from is dropped.
            if old & PageFlag.execute != 0 && f & PageFlag.execute == 0 && old & PageFlag.code != 0 {
                codeObserver?.codeWritten(self, address: UInt32(page) << GuestMemory.pageShift, size: GuestMemory.pageSize)
            }
        }
        protectionActive = active
        if let debug { applyDebugFlags(debug, force: true) }
    }

    /// After a change of privilege: PMP may allow something else now.
    func privilegeChanged() {
        if protectionDependsOnPrivilege || protectionActive { refreshProtection() }
    }

    /// The slow paths' check while protection is active: the physical map and PMP must allow the
    /// access. Triggers are checked by the callers, which know the access's kind.
    func protectionAllows(_ address: UInt32, size: UInt32, perm: UInt8) -> Bool {
        guard let physical = physicalPageFlags else { return memory.check(address, length: size, perms: perm) }
        let end = UInt64(address) + UInt64(size)
        guard end <= 1 << 32 else { return false }
        var page = Int(address >> GuestMemory.pageShift)
        while UInt64(page) << 12 < end {
            if physical[page] & perm != perm { return false }
            page += 1
        }
        return pmp.allows(address, size: size, perm: perm, privilege: privileged.privilege)
    }

    /// A trigger on this access (kind: `Triggers.load`, `.store` or `.execute`) fires: raises the
    /// breakpoint exception with the address in `mtval`. True when it did.
    func triggerFires(_ kind: UInt32, at address: UInt32, pc: UInt32) -> Bool {
        guard protectionActive, let i = triggers.firing(
            kind, at: address, privilege: privileged.privilege, mie: privileged.mstatus & PrivilegedState.MIE != 0)
        else { return false }
        triggers.control[i] |= Triggers.hit
        raise(Trap(.breakpoint, pc: pc, value: address))
        return true
    }
}
