import RISCV

extension Machine {
    /// What CSR `number` reads as, seen from M-mode at instruction count `instret`, with no side
    /// effect: for traces (Spike's commit log shows a CSR's value after each write to it).
    ///
    /// Only for a CSR this hart has: one that an instruction has just read or written without
    /// trapping, or `mstatus` and `mstatush` on a bare machine. Such a read goes through the CSR
    /// instructions' own path (`csr`), as a read from M-mode, so it cannot raise anything.
    public func inspectCSR(_ number: UInt16, instret: UInt64) -> UInt32? {
        let privilege = privileged.privilege
        privileged.privilege = .machine
        defer { privileged.privilege = privilege }
        let read = CSRAccess(number: number, operation: .set, operand: 0, sourceIsZero: true)
        return csr(read, pc: cpu.pointee.pc, word: 0, instret: instret)
    }
}
