import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVJITCommands
import RVMachine
import Testing
import TestSupport

/// `--isa`: what the hart implements, what the guest is told, and what a mismatch says.
@Suite("--isa")
struct ISAOptionTests {
    static let imacHello = Repository.guestPrograms.appendingPathComponent("bin-rv32imac/hello.elf").path

    @Test("ISA strings parse to extension sets; unknown or unimplemented extensions are errors",
          arguments: [
              ("rv32i", ISA.rv32i), ("rv32im", ISA.rv32i.union(.m)), ("RV32IMAC", ISA.rv32i.union([.m, .a, .c])),
              ("rv32imac_zicsr_zifencei", ISA.rv32i.union([.m, .a, .c])), ("rv32ic", ISA.rv32i.union(.c)),
              ("rv32imafdc_zfh_zba_zbb_zbc_zbs_zbkb_zbkx", ISA.implemented),
              ("rv32if_zfhmin", ISA.rv32i.union([.f, .zfhmin])), ("rv32gc_zfh", ISA.implemented.subtracting(ISA.bitManipulation)),
          ] as [(String, ISA)])
    func parses(_ text: String, _ isa: ISA) throws {
        #expect(try ISA(parsing: text) == isa)
    }

    @Test("Malformed and unimplemented ISA strings are refused with a reason",
          arguments: ["rv64i", "rv32", "rv32e", "imac", "rv32imafdv", "rv32gcq", "rv32i_zfoo", "rv32i__m", "rv32i3", "rv32id", "rv32i_zfh", "rv32im_zfhmin"])
    func refuses(_ text: String) {
        #expect(throws: ISA.ParseError.self) { try ISA(parsing: text) }
    }

    @Test("misa and AT_HWCAP name exactly the enabled extensions")
    func misaAndHwcap() throws {
        #expect(ISA.implemented.misa == 0x4010_112f)  // RV32 | U | M | I | F | D | C | B | A
        #expect(ISA.rv32i.misa == 0x4010_0100)
        #expect(try ISA(parsing: "rv32im").hwcap == 0x1100)  // I, M
        // The Linux process sees the hart's HWCAP in its auxiliary vector.
        for (isa, hwcap) in [(ISA.implemented, UInt32(0x112d)), (ISA.rv32i, 0x100)] {
            let m = Machine(kind: .linux)
            m.isa = isa
            try m.load(try Runner.readELF(Repository.elf("hello")), arguments: ["hello"])
            var sp = m[register: 2]
            let argc = m.memory.read32(sp)
            sp &+= 4 &* (argc &+ 2)  // argv and its NULL
            while m.memory.read32(sp) != 0 { sp &+= 4 }  // envp
            sp &+= 4
            var found: UInt32? = nil
            while m.memory.read32(sp) != 0 {
                if m.memory.read32(sp) == 16 { found = m.memory.read32(sp &+ 4) }
                sp &+= 8
            }
            #expect(found == hwcap, "\(isa)")
        }
    }

    @Test("An rv32imac program runs under the default ISA; under --isa rv32i it is warned about and cannot even start (its entry is 2-byte aligned)")
    func mismatchWarns() throws {
        let exe = try #require(rvjitExecutable, "the rvjit executable is built beside the tests")
        let ok = try spawn(exe, ["run", Self.imacHello])
        #expect(ok.status == 0)
        #expect(!ok.err.contains("warning"))
        for engine in ["interp", "jit"] {
            let r = try spawn(exe, ["run", "--engine", engine, "--isa", "rv32i", Self.imacHello])
            #expect(r.status == 135, "\(engine): \(r.err)")
            #expect(r.err.contains("rvjit: warning: the ELF's ISA"), "\(r.err)")
            #expect(r.err.contains("uses M, A, C, which --isa rv32i turns off"), "\(r.err)")
            let entry = String(try Runner.readELF(Self.imacHello).entry, radix: 16)
            #expect(r.err.contains("instruction address misaligned: jump to 0x\(entry) at pc 0x\(entry)"), "\(r.err)")
        }
        let bad = try spawn(exe, ["run", "--isa", "rv32imv", Self.imacHello])
        #expect(bad.status == 64)
        #expect(bad.err.contains("extension V is not implemented"), "\(bad.err)")
    }

    @Test("M and A instructions are illegal without their extensions; a compressed word is illegal without C")
    func gatedInstructions() throws {
        for (inst, needs) in [(Instruction(.mul, rd: 10, rs1: 10, rs2: 11), ISA.m), (Instruction(.amoadd_w, rd: 10, rs1: 2, rs2: 11), .a)] {
            for engine in EngineKind.allCases {
                for isa in [ISA.rv32i, ISA.rv32i.union(needs)] {
                    let m = Machine(kind: .linux)
                    m.isa = isa
                    let code: UInt32 = 0x10000
                    m.memory.map(code, length: 0x1000, perms: PageFlag.rx)
                    m.memory.map(0x20000, length: 0x1000, perms: PageFlag.rw)
                    m.memory.write32(code, encode(inst) ?? 0)
                    m.memory.write32(code + 4, encode(Asm.ebreak) ?? 0)
                    m.pc = code
                    m[register: 2] = 0x20000
                    run(m, engine)
                    let expected: StopReason = isa.contains(needs)
                        ? .fault(Trap(.breakpoint, pc: code + 4, value: code + 4))
                        : .fault(Trap(.illegalInstruction, pc: code, value: encode(inst) ?? 0))
                    #expect(m.stopReason == expected, "\(inst.opcode) under \(isa) on \(engine)")
                }
            }
        }
    }
}

/// Runs a prepared machine to its stop on one engine.
private func run(_ m: Machine, _ engine: EngineKind) {
    m.updateLimit()
    switch engine {
    case .interp: Interpreter().run(m)
    case .jit:
        var options = JITOptions()
        options.threshold = 0
        JIT(machine: m, options: options).run()
    }
}
