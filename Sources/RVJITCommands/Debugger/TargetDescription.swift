import RISCV
import RVMachine

/// The registers the debugger sees, as gdb's target description (`qXfer:features:read`) lists
/// them, built from feature blocks: the core (x0–x31 and pc), the CSRs rvjit exposes, and, when
/// the hart has F, the FP registers (64 bits wide with D) with fflags, frm and fcsr.
/// Register numbers are the position in the description, feature after feature, and `p`/`P` and
/// `g`/`G` use the same numbering.
struct TargetDescription {
    struct Register {
        var name: String
        var type: String
        var group: String?
        /// 32, or 64 for the FP registers of a hart with D.
        var bits = 32
        var read: (Machine) -> UInt64
        var write: (Machine, UInt64) -> Void

        init(name: String, type: String, group: String?, bits: Int = 32, read: @escaping (Machine) -> UInt64,
             write: @escaping (Machine, UInt64) -> Void) {
            (self.name, self.type, self.group, self.bits, self.read, self.write) = (name, type, group, bits, read, write)
        }

        /// A 32-bit register.
        init(name: String, type: String, group: String?, read32: @escaping (Machine) -> UInt32,
             write32: @escaping (Machine, UInt32) -> Void) {
            self.init(name: name, type: type, group: group, read: { UInt64(read32($0)) },
                      write: { m, v in write32(m, UInt32(truncatingIfNeeded: v)) })
        }
    }

    struct Feature {
        var name: String
        var registers: [Register]
    }

    let features: [Feature]

    /// The registers in number order.
    var registers: [Register] { features.flatMap(\.registers) }

    /// How many registers `g` carries: the core's (x0–x31 and pc); the rest are read with `p`.
    var generalCount: Int { features.first?.registers.count ?? 0 }

    static func riscv32(machine: Machine) -> TargetDescription {
        TargetDescription(features: [core, csrs] + (machine.isa.contains(.f) ? [fpu(double: machine.isa.contains(.d))] : []))
    }

    /// `org.gnu.gdb.riscv.cpu`: x0–x31 by ABI name, then pc.
    static var core: Feature {
        var regs: [Register] = (0..<32).map { i in
            Register(
                name: RegisterName.abi[i], type: i == 1 ? "code_ptr" : (i == 2 || i == 8 ? "data_ptr" : "int"), group: nil,
                read32: { $0[register: i] }, write32: { m, v in m[register: i] = v })
        }
        regs.append(Register(name: "pc", type: "code_ptr", group: nil, read32: { $0.pc }, write32: { m, v in m.pc = v }))
        return Feature(name: "org.gnu.gdb.riscv.cpu", registers: regs)
    }

    /// `org.gnu.gdb.riscv.csr`: the machine-mode trap CSRs, from the privileged state (written
    /// directly, as the debugger's writes are not guest instructions).
    static var csrs: Feature {
        func csr(_ name: String, _ kp: WritableKeyPath<PrivilegedState, UInt32>) -> Register {
            Register(name: name, type: "int", group: "csr", read32: { $0.privileged[keyPath: kp] },
                     write32: { m, v in m.privileged[keyPath: kp] = v; m.updateLimit() })
        }
        return Feature(name: "org.gnu.gdb.riscv.csr", registers: [
            csr("mstatus", \.mstatus), csr("mtvec", \.mtvec), csr("mscratch", \.mscratch), csr("mepc", \.mepc),
            csr("mcause", \.mcause), csr("mtval", \.mtval), csr("mie", \.mie),
        ])
    }

    /// `org.gnu.gdb.riscv.fpu`: f0–f31 by ABI name (the whole 64-bit register with D: a single
    /// shows NaN-boxed), then fflags, frm and fcsr.
    static func fpu(double: Bool) -> Feature {
        var regs: [Register] = (0..<32).map { i in
            Register(
                name: RegisterName.floatABI[i], type: double ? "ieee_double" : "ieee_single", group: "float",
                bits: double ? 64 : 32,
                read: { m in double ? m.cpu.floatRegisters[i] : m.cpu.floatRegisters[i] & 0xffff_ffff },
                write: { m, v in m.cpu.floatRegisters[i] = double ? v : 0xffff_ffff_0000_0000 | (v & 0xffff_ffff) })
        }
        regs.append(Register(name: "fflags", type: "int", group: "float", read32: { $0.cpu.pointee.fcsr & 0x1f },
                             write32: { m, v in m.cpu.pointee.fcsr = m.cpu.pointee.fcsr & ~0x1f | v & 0x1f }))
        regs.append(Register(name: "frm", type: "int", group: "float", read32: { ($0.cpu.pointee.fcsr >> 5) & 7 },
                             write32: { m, v in m.cpu.pointee.fcsr = m.cpu.pointee.fcsr & ~0xe0 | (v & 7) << 5 }))
        regs.append(Register(name: "fcsr", type: "int", group: "float", read32: { $0.cpu.pointee.fcsr & 0xff },
                             write32: { m, v in m.cpu.pointee.fcsr = v & 0xff }))
        return Feature(name: "org.gnu.gdb.riscv.fpu", registers: regs)
    }

    /// The XML gdb reads.
    var xml: String {
        var s = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        s += "<architecture>riscv:rv32</architecture>\n"
        var number = 0
        for f in features {
            s += "<feature name=\"\(f.name)\">\n"
            for r in f.registers {
                s += "  <reg name=\"\(r.name)\" bitsize=\"\(r.bits)\" type=\"\(r.type)\" regnum=\"\(number)\""
                if let g = r.group { s += " group=\"\(g)\"" }
                s += "/>\n"
                number += 1
            }
            s += "</feature>\n"
        }
        return s + "</target>\n"
    }
}
