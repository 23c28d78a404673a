import RISCV

/// The A extension for a single hart: `lr.w`/`sc.w` with a reservation, and the `amo*.w`
/// read-modify-write operations. Both executors call `atomic`; it is the only place their
/// meaning is written.
///
/// The reservation set is the reserved word. It is broken by any `sc.w`, by a store of this hart
/// that touches the word (its page carries `PageFlag.watch` while reserved, so such stores leave
/// the fast path), and by a trap. An `sc.w` to another address fails.
extension Machine {
    /// Carries out an A instruction at `pc`: `address` is rs1, `operand` is rs2. Returns the
    /// value for `rd`, or nil after raising a trap. A misaligned address raises an access fault
    /// (load access for `lr.w`, store/AMO access otherwise), as for memory that does not support
    /// atomics; so does memory without read and write permission (read alone for `lr.w`).
    public func atomic(_ op: AtomicOp, address: UInt32, operand: UInt32, pc: UInt32) -> UInt32? {
        guard dataTranslation else { return physicalAtomic(op, address: address, operand: operand, pc: pc, tval: address) }
        guard address & 3 == 0 else {
            raise(Trap(op == .loadReserved ? .loadAccess : .storeAccess, pc: pc, value: address))
            return nil
        }
        guard let pa = translate(address, op == .loadReserved ? .load : .store, pc: pc) else { return nil }
        return physicalAtomic(op, address: pa, operand: operand, pc: pc, tval: address)
    }

    /// `atomic` at a physical address (after translation, if any); faults report `tval`.
    func physicalAtomic(_ op: AtomicOp, address: UInt32, operand: UInt32, pc: UInt32, tval: UInt32) -> UInt32? {
        let isLoad = op == .loadReserved
        let fault = Trap(isLoad ? .loadAccess : .storeAccess, pc: pc, value: tval)
        let perms = isLoad ? PageFlag.read : PageFlag.rw
        if protectionActive && triggerFires(isLoad ? Triggers.load : Triggers.store, at: address, pc: pc) { return nil }
        if debug != nil, watchpointHit(address, size: 4, store: !isLoad) { return nil }
        let permitted = protectionActive ? protectionAllows(address, size: 4, perm: perms) : memory.check(address, length: 4, perms: perms)
        guard address & 3 == 0, permitted, !devices.contains(where: { $0.contains(address) }) else {
            raise(fault)
            return nil
        }
        switch op {
        case .loadReserved:
            clearReservation()
            reservation = address
            memory.flags[Int(address >> GuestMemory.pageShift)] |= PageFlag.watch
            return rawLoad(address, size: 4)
        case .storeConditional:
            let held = reservation == address
            clearReservation()
            guard held else { return 1 }
            atomicStore(address, operand)
            return 0
        case .amo(let amo):
            let old = rawLoad(address, size: 4)
            if reservation == address { clearReservation() }
            atomicStore(address, amo.apply(old, operand))
            return old
        }
    }

    private func atomicStore(_ address: UInt32, _ value: UInt32) {
        rawStore(address, size: 4, value: value)
        if memory.pageFlags(address) & PageFlag.code != 0 {
            codeOrDeviceStores &+= 1
            codeObserver?.codeWritten(self, address: address, size: 4)
        }
    }

    /// Drops the reservation and stops watching its page.
    public func clearReservation() {
        guard let r = reservation else { return }
        reservation = nil
        let page = Int(r >> GuestMemory.pageShift)
        if debug?.storeWatchedPages.contains(page) != true { memory.flags[page] &= ~PageFlag.watch }
    }

    /// A store slow path found its page watched: a store that touches the reserved word breaks
    /// the reservation.
    func storeTouchedWatch(_ address: UInt32, size: UInt32) {
        guard let r = reservation else { return }
        if UInt64(address) < UInt64(r) + 4 && UInt64(r) < UInt64(address) + UInt64(size) { clearReservation() }
    }
}
