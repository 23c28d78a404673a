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
        switch stop {
        case .fault(let trap):
            at = trap.pc
        case .budgetExhausted, .timedOut, .signalled:
            guard machine.kind == .bare, machine.trapsTaken > 0 else { return [] }
            let p = machine.privileged
            let cause = p.mcause & 0x7fff_ffff
            let name = TrapCause(rawValue: cause).map { "\($0)" } ?? "cause \(cause)"
            let kind = p.mcause >> 31 != 0 ? "interrupt" : "exception"
            out.append("last trap (\(machine.trapsTaken) taken): \(kind) \(name), mepc \(hex(p.mepc)), mtval \(hex(p.mtval)), handler \(hex(p.mtvec & ~3))")
            if machine.hasSupervisor && (p.scause != 0 || Sv32.enabled(p.satp)) {
                let sName = TrapCause(rawValue: p.scause & 0x7fff_ffff).map { "\($0)" } ?? "cause \(p.scause & 0x7fff_ffff)"
                let mode = ["U", "S", "?", "M"][Int(p.privilege.rawValue & 3)]
                out.append("privilege \(mode); last S-mode trap: \(sName), sepc \(hex(p.sepc)), stval \(hex(p.stval)); satp \(hex(p.satp))"
                    + (Sv32.enabled(p.satp) ? " (Sv32: pcs are virtual, memory below is read physically)" : ""))
            }
            at = p.mepc
        case .exited, .aborted, .breakpoint, .watchpoint, .stepped, .interrupted:
            return []
        }
        out.append("at \(place(machine, at)): \(instruction(machine, at))")
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

    /// The instruction at `pc`, disassembled, if its bytes are mapped.
    static func instruction(_ machine: Machine, _ pc: UInt32) -> String {
        guard machine.debuggerCanRead(pc, length: 2) else { return "(no instruction: the address is not mapped)" }
        let low = UInt32(machine.memory.host(pc).loadUnaligned(as: UInt16.self))
        var word = low
        if low & 3 == 3 {
            guard machine.debuggerCanRead(pc, length: 4) else { return "(an instruction cut by the end of memory)" }
            word = machine.memory.host(pc).loadUnaligned(as: UInt32.self)
        }
        let inst = decode(word, isa: machine.isa)
        let bits = inst.length == 2 ? Disassembler.hex(word & 0xffff, digits: 4) : Disassembler.hex(word, digits: 8)
        let text = Disassembler(isa: machine.isa).text(word: word, pc: pc).replacingOccurrences(of: "\t", with: " ")
        return "\(bits)  \(text)"
    }
}
