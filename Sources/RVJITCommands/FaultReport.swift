import Foundation
import RISCV
import RVMachine

/// What rvjit prints when a guest dies: the pc as symbol+offset, the instruction there
/// disassembled, the registers by ABI name and the last blocks entered. For a Linux guest that
/// faulted, and for a bare-metal run that ended in traps (a trap storm stopped by a budget, a
/// timeout or a signal), where the last trap's cause, `mepc` and `mtval` say what went wrong.
enum FaultReport {
    /// The report's lines (without the `rvjit: ` prefix), or none when there is nothing to add.
    static func lines(_ machine: Machine, stop: StopReason) -> [String] {
        var out: [String] = []
        let at: UInt32
        // The privilege `at` was executed at (its address is virtual under Sv32 below M).
        var atPrivilege = machine.privileged.privilege
        switch stop {
        case .fault(let trap):
            at = trap.pc
        case .budgetExhausted, .timedOut, .signalled:
            guard machine.kind == .bare, machine.trapsTaken > 0 else { return [] }
            let p = machine.privileged
            // sepc was executed, and a page fault's stval accessed, at SPP's privilege.
            let spp: Privilege = p.mstatus & PrivilegedState.SPP != 0 ? .supervisor : .user
            let sCause = p.scause & 0x7fff_ffff
            let sName = TrapCause(rawValue: sCause).map { "\($0)" } ?? "cause \(sCause)"
            let sKind = p.scause >> 31 != 0 ? "interrupt" : "exception"
            let pageFault = p.scause >> 31 == 0 && (sCause == 12 || sCause == 13 || sCause == 15)
            let stval = pageFault
                ? machine.describeAddress(p.stval, sCause == 12 ? .fetch : sCause == 13 ? .load : .store, privilege: spp)
                : hex(p.stval)
            let mode = ["U", "S", "?", "M"][Int(p.privilege.rawValue & 3)]
            if machine.lastTrapTarget == .supervisor {
                // Delegated: the S-level registers describe it (under Sv32, virtual addresses).
                out.append("last trap (\(machine.trapsTaken) taken): \(sKind) \(sName) into S-mode, sepc \(machine.describeAddress(p.sepc, .fetch, privilege: spp)), "
                    + "stval \(stval), handler \(hex(p.stvec & ~3))")
                out.append("privilege \(mode); satp \(hex(p.satp))")
                at = p.sepc
                atPrivilege = spp
                break
            }
            let cause = p.mcause & 0x7fff_ffff
            let name = TrapCause(rawValue: cause).map { "\($0)" } ?? "cause \(cause)"
            let kind = p.mcause >> 31 != 0 ? "interrupt" : "exception"
            out.append("last trap (\(machine.trapsTaken) taken): \(kind) \(name), mepc \(hex(p.mepc)), mtval \(hex(p.mtval)), handler \(hex(p.mtvec & ~3))")
            if machine.hasSupervisor && (p.scause != 0 || Sv32.enabled(p.satp)) {
                out.append("privilege \(mode); last S-mode trap: \(sName), sepc \(machine.describeAddress(p.sepc, .fetch, privilege: spp)), stval \(stval); satp \(hex(p.satp))")
            }
            at = p.mepc
            let mpp = (p.mstatus & PrivilegedState.MPPMask) >> PrivilegedState.MPPShift
            atPrivilege = mpp == 3 ? .machine : mpp == 1 ? .supervisor : .user
        case .exited, .aborted, .breakpoint, .watchpoint, .stepped, .interrupted:
            return []
        }
        // Under Sv32 the pc is virtual: its bytes are read where it maps now (nothing is walked
        // for real: no TLB fill, no A/D update).
        let physical = machine.peekTranslation(at, .fetch, privilege: atPrivilege)
        let translated = machine.hasSupervisor && Sv32.enabled(machine.privileged.satp) && atPrivilege != .machine
        let where_ = translated ? " (\(machine.describeAddress(at, .fetch, privilege: atPrivilege)))" : ""
        let text = physical.map { instruction(machine, $0, pc: at) } ?? "(no instruction: the virtual address is not mapped)"
        out.append("at \(place(machine, at))\(where_): \(text)")
        out.append("registers:")
        for row in 0..<8 {
            let cells = (0..<4).map { col -> String in
                let r = row * 4 + col
                let name = RegisterName.abi[r].padding(toLength: 4, withPad: " ", startingAt: 0)
                return "\(name) \(word(machine[register: r]))"
            }
            out.append("  " + cells.joined(separator: "  "))
        }
        let recent = machine.trail.recent
        if !recent.isEmpty {
            out.append("last blocks entered (oldest first):")
            // A loop shows as one line with its count.
            var runs: [(pc: UInt32, count: Int)] = []
            for pc in recent {
                if let last = runs.last, last.pc == pc { runs[runs.count - 1].count += 1 } else { runs.append((pc, 1)) }
            }
            out += runs.map { "  \(place(machine, $0.pc))" + ($0.count > 1 ? " (\($0.count) times)" : "") }
        }
        return out
    }

    static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
    static func word(_ v: UInt32) -> String { "0x" + Disassembler.hex(v, digits: 8) }

    /// `0x1008c <main+0x18>`, or just the address without symbols.
    static func place(_ machine: Machine, _ pc: UInt32) -> String {
        guard machine.symbols.symbol(containing: pc) != nil, let name = machine.symbols.describe(pc) else { return hex(pc) }
        return "\(hex(pc)) <\(name)>"
    }

    /// The instruction at `pc`, read from physical `address`, disassembled, if its bytes are mapped.
    static func instruction(_ machine: Machine, _ address: UInt32, pc: UInt32) -> String {
        guard machine.debuggerCanRead(address, length: 2) else { return "(no instruction: the address is not mapped)" }
        let low = UInt32(machine.memory.host(address).loadUnaligned(as: UInt16.self))
        var word = low
        if low & 3 == 3 {
            guard machine.debuggerCanRead(address, length: 4) else { return "(an instruction cut by the end of memory)" }
            word = machine.memory.host(address).loadUnaligned(as: UInt32.self)
        }
        let inst = decode(word, isa: machine.isa)
        let bits = inst.length == 2 ? Disassembler.hex(word & 0xffff, digits: 4) : Disassembler.hex(word, digits: 8)
        let text = Disassembler(isa: machine.isa).text(word: word, pc: pc).replacingOccurrences(of: "\t", with: " ")
        return "\(bits)  \(text)"
    }
}
