import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVMachine
import Testing
import TestSupport

/// Zfh under both engines: the generated self-checking guest test with every block translated
/// (the manifest run uses the default threshold, under which its straight-line cases, each run
/// once, stay in the interpreter), and the extensions' gating by `--isa`.
@Suite struct HalfPrecisionGuestTests {
    enum Engine: CaseIterable { case interp, jit, jitNoOpt }

    static func run(_ m: Machine, _ engine: Engine) {
        switch engine {
        case .interp: Interpreter().run(m)
        case .jit, .jitNoOpt:
            var o = JITOptions()
            o.optimize = engine == .jit
            o.threshold = 0
            JIT(machine: m, options: o).run()
        }
    }

    final class Captured: @unchecked Sendable { var bytes: [UInt8] = [] }

    @Test(arguments: Engine.allCases)
    func generatedGuestTestPasses(_ engine: Engine) throws {
        let path = Repository.guestPrograms.appendingPathComponent("bin-rv32imafdc/isa-zfh.elf").path
        let data = try #require(FileManager.default.contents(atPath: path))
        let m = Machine(kind: .linux)
        let out = Captured()
        let syscalls = BasicSyscalls(console: Console(capture: { _, bytes in out.bytes += bytes }))
        m.syscalls = syscalls
        try m.load(try ELFFile(bytes: [UInt8](data)), arguments: ["isa-zfh"])
        Self.run(m, engine)
        withExtendedLifetime(syscalls) {}
        #expect(m.stopReason == .exited(0), "\(engine): the failing case number is the status")
        #expect(String(decoding: out.bytes, as: UTF8.self) == "ok\n")
        #expect(m.cpu.pointee.floatInstructions > 3000, "\(engine)")
    }

    static let code: UInt32 = 0x1_0000

    /// Runs `program` on a machine with `isa`; the index of the instruction that trapped as
    /// illegal, or nil when all ran.
    static func illegalAt(_ program: [Instruction], isa: ISA, _ engine: Engine) -> Int? {
        let m = Machine(kind: .linux)
        m.isa = isa
        m.memory.map(code, length: 0x1000, perms: PageFlag.rwx)
        for (k, inst) in program.enumerated() { m.memory.write32(code + UInt32(k * 4), encode(inst) ?? 0) }
        m.pc = code
        m[register: 5] = 0x3c00
        m.instructionBudget = UInt64(program.count)
        m.updateLimit()
        run(m, engine)
        guard case .fault(let trap) = m.stopReason else { return nil }
        #expect(trap.cause == .illegalInstruction)
        return Int((trap.pc - code) / 4)
    }

    @Test(arguments: Engine.allCases)
    func isaGatesZfhAndZfhmin(_ engine: Engine) {
        let zfhmin = [Asm.fp(.fmv_h_x, 1, 5), Asm.fp(.fcvt_s_h, 2, 1), Asm.fp(.fcvt_h_s, 3, 2, rm: 7), Asm.fp(.fmv_x_h, 6, 3),
                      Asm.fp(.fadd_h, 4, 1, 1, rm: 7)]
        let fd: ISA = ISA.rv32i.union([.f, .d])
        #expect(Self.illegalAt(zfhmin, isa: .implemented, engine) == nil, "\(engine)")
        #expect(Self.illegalAt(zfhmin, isa: fd.union(.zfhmin), engine) == 4, "\(engine): fadd.h is Zfh's")
        #expect(Self.illegalAt(zfhmin, isa: fd, engine) == 0, "\(engine)")
        // fcvt.d.h and fcvt.h.d are Zfhmin's only with D.
        let double = [Asm.fp(.fmv_h_x, 1, 5), Asm.fp(.fcvt_d_h, 2, 1), Asm.fp(.fcvt_h_d, 3, 2, rm: 7)]
        #expect(Self.illegalAt(double, isa: fd.union(.zfhmin), engine) == nil, "\(engine)")
        #expect(Self.illegalAt(double, isa: ISA.rv32i.union([.f, .zfhmin]), engine) == 1, "\(engine)")
    }
}
