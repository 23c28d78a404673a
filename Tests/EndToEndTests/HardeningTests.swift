import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVJITCommands
import RVMachine
import RVSyscalls
import TestSupport
import Testing

/// Findings of the hardening issue, each at the engine level, under both engines.
@Suite struct HardeningTests {
    enum Engine: String, CaseIterable, Sendable { case interp, jit }

    static func run(_ machine: Machine, _ engine: Engine, threshold: Int = 0) {
        switch engine {
        case .interp: Interpreter().run(machine)
        case .jit:
            var options = JITOptions()
            options.threshold = threshold
            JIT(machine: machine, options: options).run()
        }
    }

    // MARK: Host writes into translated code

    static let code: UInt32 = 0x10000
    static let function: UInt32 = 0x10100
    static let data: UInt32 = 0x20000

    /// Calls `function` (a0 = 1), makes system call `number` with `arguments` (which may
    /// overwrite the function), calls it again and exits with its a0.
    static func codeOverwriteMachine(_ number: UInt32, _ arguments: [UInt32], bridge: SyscallBridge) -> Machine {
        let m = Machine(kind: .linux)
        m.syscalls = bridge
        var program: [Instruction] = [Asm.jal(1, Int32(function - code))]
        for (i, a) in arguments.enumerated() { program += TestCode.li(UInt8(10 + i), a) }
        program += [Asm.i(.addi, 17, 0, Int32(number)), Asm.ecall]
        let second = code + UInt32(program.count * 4)
        program += [Asm.jal(1, Int32(function) - Int32(second))] + TestCode.exit
        TestCode.place(program, at: code, in: m, size: 0x1000, perms: PageFlag.rwx)
        // The function's page is writable and executable (as a JIT or a loader's page would be).
        TestCode.place([Asm.i(.addi, 10, 0, 1), Asm.i(.jalr, 0, 1, 0)], at: function, in: m, size: 0, perms: PageFlag.rwx)
        m.memory.map(data, length: 0x1000, perms: PageFlag.rw)
        m.process.stackTop = 0x7fff_0000
        m.pc = code
        m.instructionBudget = 10_000
        m.updateLimit()
        return m
    }

    /// `read(2)` of new instruction bytes over a translated function: the JIT runs the new bytes.
    @Test(arguments: Engine.allCases)
    func readIntoTranslatedCode(_ engine: Engine) throws {
        let fixture = try SandboxFixture()
        try Data(TestCode.words([Asm.i(.addi, 10, 0, 7)]).flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> ($0 * 8)) } })
            .write(to: URL(fileURLWithPath: fixture.path + "/code.bin"))
        let bridge = SyscallBridge(console: Console(capture: { _, _ in }), directories: [DirectoryMapping(hostPath: fixture.path)])
        // openat(AT_FDCWD, "code.bin", O_RDONLY) is done by the host here; the guest reads fd 3.
        let m = Self.codeOverwriteMachine(RV32Syscall.read, [3, Self.function, 4], bridge: bridge)
        m.memory.writeBytes(Self.data, Array("code.bin".utf8) + [0])
        let args = SyscallArguments(raw: [UInt32(bitPattern: -100), Self.data, 0, 0, 0, 0])
        #expect(bridge.perform(m, number: RV32Syscall.openat, args: args, pc: 0).value == 3)
        Self.run(m, engine)
        #expect(m.stopReason == .exited(7))
    }

    /// `getcwd` over a translated function: both engines run the bytes it wrote ("/" and NUL,
    /// which make an illegal instruction).
    @Test(arguments: Engine.allCases)
    func getcwdIntoTranslatedCode(_ engine: Engine) throws {
        let bridge = SyscallBridge(console: Console(capture: { _, _ in }))
        let m = Self.codeOverwriteMachine(RV32Syscall.getcwd, [Self.function, 64], bridge: bridge)
        Self.run(m, engine)
        guard case .fault(let trap) = m.stopReason else {
            Issue.record("expected an illegal instruction, got \(String(describing: m.stopReason))")
            return
        }
        #expect(trap.cause == .illegalInstruction && trap.pc == Self.function)
    }
}

// MARK: Trap storms

extension HardeningTests {
    static let ram: UInt32 = 0x8000_0000

    /// A bare machine whose program is `program` at the start of RAM.
    static func bareMachine(_ program: [Instruction], budget: UInt64) -> Machine {
        let m = Machine(kind: .bare)
        TestCode.place(program, at: ram, in: m, size: 0x2000, perms: PageFlag.rwx)
        m.pc = ram
        m.instructionBudget = budget
        m.updateLimit()
        return m
    }

    /// An illegal word at the entry with `mtvec` still 0: the trap goes to address 0, which
    /// cannot be fetched, and that fault traps to 0 again, forever. Nothing retires.
    @Test(arguments: Engine.allCases, [0, 5])
    func illegalEntryWithNoHandler(_ engine: Engine, threshold: Int) {
        let m = Self.bareMachine([Instruction(.illegal)], budget: 1000)
        Self.run(m, engine, threshold: threshold)
        #expect(m.stopReason == .budgetExhausted(1000))
        #expect(m.stopReason?.exitStatus == 124)
        #expect(m.instret == 0 && m.trapsTaken == 1000)
    }

    /// `mtvec` pointing at an illegal word: the handler's first instruction traps into itself.
    @Test(arguments: Engine.allCases, [0, 5])
    func handlerThatTraps(_ engine: Engine, threshold: Int) {
        let handler = Self.ram + 0x1000
        let program = TestCode.li(5, handler) + [Asm.csr(.csrrw, 0, CSR.mtvec, 5), Asm.i(.addi, 6, 0, 1), Instruction(.illegal)]
        let m = Self.bareMachine(program, budget: 500)
        Self.run(m, engine, threshold: threshold)
        #expect(m.stopReason == .budgetExhausted(500))
        #expect(m.instret == 4 && m.trapsTaken == 496)
    }

    /// Programs without traps count exactly what they did before: the budget lands on the same
    /// instruction under both engines.
    @Test(arguments: Engine.allCases)
    func budgetWithoutTrapsIsUnchanged(_ engine: Engine) {
        let m = Self.bareMachine([Asm.i(.addi, 5, 5, 1), Asm.jal(0, -4)], budget: 1001)
        Self.run(m, engine)
        #expect(m.stopReason == .budgetExhausted(1001))
        #expect(m.instret == 1001 && m[register: 5] == 501)
    }
}

// MARK: Host failures

extension HardeningTests {
    /// A Swift runtime trap or a bad access inside rvjit ends with status 70 and a line that
    /// says it is rvjit's fault, never with a guest fault's status.
    @Test(arguments: ["trap", "segv"])
    func internalErrorIsNotAGuestOutcome(_ kind: String) throws {
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not beside the test bundle")
        let r = try spawn(rvjit, ["run", Repository.elf("hello")], environment: [InternalError.testVariable: kind])
        #expect(r.status == InternalError.exitStatus)
        #expect(r.err.contains("rvjit: internal error (signal "))
        #expect(r.err.contains("this is a bug in rvjit, please report it"))
        #expect(r.out.isEmpty)
    }
}
