import RISCV
import RVMachine

/// The registers the debugger sees, as gdb's target description (`qXfer:features:read`) lists
/// them, built from feature blocks: the core (x0–x31 and pc), the CSRs rvjit exposes, and — once
/// the hart has them — the FP registers, which will be one more `Feature` with its own accessors.
/// Register numbers are the position in the description, feature after feature, and `p`/`P` and
/// `g`/`G` use the same numbering.
struct TargetDescription {
    struct Register {
        var name: String
        var type: String
        var group: String?
        var read: (Machine) -> UInt32
        var write: (Machine, UInt32) -> Void
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
        TargetDescription(features: [core, csrs])
    }

    /// `org.gnu.gdb.riscv.cpu`: x0–x31 by ABI name, then pc.
    static var core: Feature {
        var regs: [Register] = (0..<32).map { i in
            Register(
                name: RegisterName.abi[i], type: i == 1 ? "code_ptr" : (i == 2 || i == 8 ? "data_ptr" : "int"), group: nil,
                read: { $0[register: i] }, write: { m, v in m[register: i] = v })
        }
        regs.append(Register(name: "pc", type: "code_ptr", group: nil, read: { $0.pc }, write: { m, v in m.pc = v }))
        return Feature(name: "org.gnu.gdb.riscv.cpu", registers: regs)
    }

    /// `org.gnu.gdb.riscv.csr`: the machine-mode trap CSRs, from the privileged state (written
    /// directly, as the debugger's writes are not guest instructions).
    static var csrs: Feature {
        func csr(_ name: String, _ kp: WritableKeyPath<PrivilegedState, UInt32>) -> Register {
            Register(name: name, type: "int", group: "csr", read: { $0.privileged[keyPath: kp] },
                     write: { m, v in m.privileged[keyPath: kp] = v; m.updateLimit() })
        }
        return Feature(name: "org.gnu.gdb.riscv.csr", registers: [
            csr("mstatus", \.mstatus), csr("mtvec", \.mtvec), csr("mscratch", \.mscratch), csr("mepc", \.mepc),
            csr("mcause", \.mcause), csr("mtval", \.mtval), csr("mie", \.mie),
        ])
    }

    /// The XML gdb reads.
    var xml: String {
        var s = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        s += "<architecture>riscv:rv32</architecture>\n"
        var number = 0
        for f in features {
            s += "<feature name=\"\(f.name)\">\n"
            for r in f.registers {
                s += "  <reg name=\"\(r.name)\" bitsize=\"32\" type=\"\(r.type)\" regnum=\"\(number)\""
                if let g = r.group { s += " group=\"\(g)\"" }
                s += "/>\n"
                number += 1
            }
            s += "</feature>\n"
        }
        return s + "</target>\n"
    }
}
