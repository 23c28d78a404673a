import RISCV
import RVMachine

/// One retired instruction as `spike --log-commits` shows it (`--trace insns --trace-format
/// spike`): the privilege it ran at, its bits, every register and CSR it wrote, the addresses it
/// read and the addresses and values it wrote.
public struct CommitRecord: Sendable, Equatable {
    /// A register or CSR written, keyed as Spike keys them: `number << 4 | class` (0 = x, 1 = f,
    /// 4 = CSR). Spike prints the writes in that order.
    public struct Write: Sendable, Equatable {
        public var key: UInt32
        public var value: UInt64

        public static func x(_ r: UInt8, _ v: UInt32) -> Write { Write(key: UInt32(r) << 4, value: UInt64(v)) }
        public static func f(_ r: UInt8, _ v: UInt64) -> Write { Write(key: UInt32(r) << 4 | 1, value: v) }
        public static func csr(_ n: UInt16, _ v: UInt32) -> Write { Write(key: UInt32(n) << 4 | 4, value: UInt64(v)) }
    }

    /// A store: address, value and width in bytes.
    public struct Store: Sendable, Equatable {
        public var address: UInt32
        public var value: UInt64
        public var width: Int

        public init(address: UInt32, value: UInt64, width: Int) {
            self.address = address
            self.value = value
            self.width = width
        }
    }

    public var pc: UInt32
    /// The instruction's bits (a compressed one's halfword) and its length in bytes.
    public var bits: UInt32
    public var length: Int
    /// The privilege the instruction ran at (for `mret`, M; the next line shows where it went).
    public var privilege: UInt32
    public var writes: [Write]
    public var loads: [UInt32]
    public var stores: [Store]

    public init(pc: UInt32, bits: UInt32, length: Int, privilege: UInt32, writes: [Write], loads: [UInt32], stores: [Store]) {
        self.pc = pc
        self.bits = bits
        self.length = length
        self.privilege = privilege
        self.writes = writes.sorted { $0.key < $1.key }
        self.loads = loads
        self.stores = stores
    }

    /// Spike's line: `core   0: 3 0x80000000 (0x00001297) x5  0x80001000`, register names padded
    /// to 3 (`x5 `), CSRs as `c<number>_<name>`, then ` mem 0xADDR` per load and ` mem 0xADDR
    /// 0xVALUE` per store (the value as wide as the access).
    public var line: String {
        var s = "core   0: \(privilege) 0x\(hexDigits(UInt64(pc), 8)) (0x\(hexDigits(UInt64(bits), length == 2 ? 4 : 8)))"
        for w in writes {
            let number = w.key >> 4
            switch w.key & 0xf {
            case 0: s += " " + ("x\(number)").padding(3) + " 0x" + hexDigits(w.value, 8)
            case 1: s += " " + ("f\(number)").padding(3) + " 0x" + hexDigits(w.value, 16)
            default: s += " c\(number)_\(Self.csrName(UInt16(truncatingIfNeeded: number))) 0x" + hexDigits(w.value, 8)
            }
        }
        for a in loads { s += " mem 0x" + hexDigits(UInt64(a), 8) }
        for m in stores { s += " mem 0x" + hexDigits(UInt64(m.address), 8) + " 0x" + hexDigits(m.value, m.width * 2) }
        return s
    }

    /// Spike's name of a CSR (`encoding.h`'s): objdump's names, the few debug CSRs objdump lacks,
    /// and Spike's own word for the rest.
    static func csrName(_ number: UInt16) -> String {
        if let name = CSR.names[number] { return name }
        switch number {
        case 0x7A4: return "tinfo"
        case 0x7A5: return "tcontrol"
        case 0x7A8: return "mcontext"
        default: return "unknown-csr"
        }
    }
}

/// Builds `CommitRecord`s from the retire hooks of both engines, which report an instruction
/// after it retired. What the state after it no longer shows comes from elsewhere: a source
/// register the instruction overwrote (`lw a0,0(a0)`) from a copy of the registers taken after
/// the previous instruction (traps and interrupts leave them alone), the privilege `mret` ran at
/// from the rule that it runs in M-mode only. Only a run traced in Spike's format pays for this.
public final class CommitObserver {
    let machine: Machine
    /// x0–x31 as the instruction being observed found them.
    private var before: [UInt32]
    /// `mstatus.FS` as it found it (Spike logs `mstatus` when an instruction makes FS dirty).
    private var fsBefore: UInt32
    private var fflagsBefore: UInt32

    /// Spike's value of `tcontrol` (rvjit has no `tcontrol`; Spike's `mret` writes it, and it stays
    /// 0 while no program sets its MPTE bit).
    static let tcontrol: UInt16 = 0x7A5
    public init(machine: Machine) {
        self.machine = machine
        let x = machine.cpu.registers
        before = (0..<32).map { x[$0] }
        fsBefore = machine.cpu.pointee.fs
        fflagsBefore = machine.cpu.pointee.fcsr & 0x1f
    }

    /// The record of the instruction `word` at `pc` that just retired, or nil when it did not in
    /// fact retire (a bare machine's `ecall` traps, and Spike prints no line for a trapping
    /// instruction). Call it for every instruction the engine reports, so that the copy of the
    /// registers stays in step.
    public func observe(pc: UInt32, word: UInt32) -> CommitRecord? {
        let cpu = machine.cpu
        let x = cpu.registers
        defer {
            for r in 1..<32 { before[r] = x[r] }
            fsBefore = cpu.pointee.fs
            fflagsBefore = cpu.pointee.fcsr & 0x1f
        }
        let inst = decode(word, isa: machine.isa)
        // A source register is read after the instruction unless the instruction overwrote it
        // (so that a register changed outside any instruction, as semihosting's a0, is right).
        let written = inst.flags.contains(.writesRd) ? inst.rd : 0
        func source(_ r: UInt8) -> UInt32 { r != 0 && r == written ? before[Int(r)] : x[Int(r)] }
        let rs1 = source(inst.rs1), rs2 = source(inst.rs2)
        let address = rs1 &+ UInt32(bitPattern: inst.imm)
        var privilege = cpu.pointee.privilege
        var writes: [CommitRecord.Write] = []
        var loads: [UInt32] = []
        var stores: [CommitRecord.Store] = []
        if inst.flags.contains(.writesRd), inst.rd != 0 { writes.append(.x(inst.rd, x[Int(inst.rd)])) }
        // The value a CSR shows after the instruction, as the next instruction would read it.
        func csr(_ n: UInt16) -> UInt32 { machine.inspectCSR(n, instret: cpu.pointee.instret &+ 1) ?? 0 }

        switch inst.family {
        case .lui, .auipc, .jal, .jalr, .branch, .aluImmediate, .aluRegister, .fence, .fenceI, .wfi, .sfenceVMA:
            break
        case .load:
            loads.append(address)
        case .store(let w):
            stores.append(.init(address: address, value: UInt64(rs2) & mask(w.size), width: Int(w.size)))
        case .atomic(let op):
            switch op {
            case .loadReserved:
                loads.append(rs1)
            case .storeConditional:
                let succeeded = inst.rd != 0 ? x[Int(inst.rd)] == 0 : machine.memory.read32(rs1) == rs2
                if succeeded { stores.append(.init(address: rs1, value: UInt64(rs2), width: 4)) }
            case .amo:
                loads.append(rs1)
                stores.append(.init(address: rs1, value: UInt64(machine.memory.read32(rs1)), width: 4))
            }
        case .ecall:
            guard machine.kind == .linux else { return nil }  // bare: it trapped
            writes.append(.x(10, x[10]))  // the system call's result
        case .ebreak, .illegal:
            return nil  // these trap (semihosting's ebreak is reported to no hook)
        case .csr(let op, _):
            if op == .write || inst.rs1 != 0 {
                // Spike's fcsr is its two fields: a write shows them, not fcsr.
                for n in inst.csr == CSR.fcsr ? [CSR.fflags, CSR.frm] : [inst.csr] { writes.append(.csr(n, csr(n))) }
            }
        case .mret:
            privilege = Privilege.machine.rawValue
            writes += [.csr(CSR.mstatus, csr(CSR.mstatus)), .csr(CSR.mstatush, csr(CSR.mstatush)), .csr(Self.tcontrol, 0)]
        case .sret:
            // Spike's sret writes sstatus through mstatus, which its log shows (no fixture holds one yet).
            privilege = Privilege.supervisor.rawValue
            writes.append(.csr(CSR.mstatus, csr(CSR.mstatus)))
        case .floatLoad:
            loads.append(address)
            writes.append(.f(inst.rd, cpu.floatRegisters[Int(inst.rd)]))
        case .floatStore(let w):
            let f = cpu.floatRegisters[Int(inst.rs2)]
            stores.append(.init(address: address, value: f & mask(w.size), width: Int(w.size)))
        case .float(let op, _):
            if !op.writesInteger { writes.append(.f(inst.rd, cpu.floatRegisters[Int(inst.rd)])) }
            // Spike shows fflags when the operation raised a flag; rvjit sees only a change.
            let fflags = cpu.pointee.fcsr & 0x1f
            if fflags != fflagsBefore { writes.append(.csr(CSR.fflags, fflags)) }
        }
        // Spike writes mstatus when an instruction makes the FP state dirty.
        if fsBefore != 3, cpu.pointee.fs == 3, machine.kind == .bare, !writes.contains(where: { $0.key == UInt32(CSR.mstatus) << 4 | 4 }) {
            writes.append(.csr(CSR.mstatus, csr(CSR.mstatus)))
        }
        return CommitRecord(pc: pc, bits: word, length: Int(inst.length), privilege: privilege, writes: writes, loads: loads, stores: stores)
    }

    private func mask(_ size: UInt32) -> UInt64 { size >= 8 ? .max : (1 << (8 * UInt64(size))) - 1 }
}

func hexDigits(_ v: UInt64, _ digits: Int) -> String {
    let s = String(v, radix: 16)
    return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
}
