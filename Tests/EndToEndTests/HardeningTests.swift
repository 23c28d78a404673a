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
    /// cannot be fetched, and that fault would trap to 0 again for ever. The run stops with the
    /// fetch fault, budget or not.
    @Test(arguments: Engine.allCases, [(0, 1000), (5, 1000), (0, nil), (5, nil)] as [(Int, UInt64?)])
    func illegalEntryWithNoHandler(_ engine: Engine, _ thresholdAndBudget: (Int, UInt64?)) {
        let (threshold, budget) = thresholdAndBudget
        let m = Self.bareMachine([Instruction(.illegal)], budget: 1000)
        m.instructionBudget = budget
        Self.run(m, engine, threshold: threshold)
        guard case .fault(let trap)? = m.stopReason else {
            Issue.record("stopped with \(String(describing: m.stopReason))")
            return
        }
        #expect(trap.cause == .fetchAccess && trap.pc == 0)
        #expect(m.stopReason?.exitStatus == 139)
        #expect(m.instret == 0 && m.trapsTaken == 1)
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

// MARK: Limits

extension HardeningTests {
    /// Writes a Linux executable holding `code` into a fresh temporary directory.
    final class TempELF {
        let directory: String
        let path: String
        init(_ code: [Instruction]) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-hardening-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            path = directory + "/guest.elf"
            let elf = ELFWriter.executable(code: TestCode.words(code), data: [0], dataAddress: 0x20000, dataMemorySize: 0x1000)
            try Data(elf).write(to: URL(fileURLWithPath: path))
        }
        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Grows the heap by 1 MiB at a time until brk refuses, then exits with the number of MiB it got.
    static let heapGrower: [Instruction] = [
        Asm.i(.addi, 17, 0, 214), Asm.i(.addi, 10, 0, 0), Asm.ecall,  // a0 = brk(0)
        Asm.i(.addi, 8, 10, 0), Asm.i(.addi, 9, 0, 0), Asm.u(.lui, 18, 0x10_0000),  // s0 = break, s1 = 0, s2 = 1 MiB
        Asm.r(.add, 8, 8, 18), Asm.i(.addi, 10, 8, 0), Asm.ecall,  // loop: s0 += 1 MiB; a0 = brk(s0)
        Asm.b(.bne, 10, 8, 12), Asm.i(.addi, 9, 9, 1), Asm.jal(0, -20),  // refused: out; else s1 += 1, again
        Asm.i(.addi, 10, 9, 0),
    ] + TestCode.exit

    @Test(arguments: Engine.allCases)
    func memoryLimitStopsTheHeap(_ engine: Engine) throws {
        let elf = try TempELF(Self.heapGrower)
        var config = RunConfiguration(elfPath: elf.path, engine: engine == .jit ? .jit : .interp)
        config.memoryLimit = 32 << 20
        let run = try GuestRunner.run(config)
        // 8 MiB of stack and a few pages of program: the heap gets 23 MiB.
        #expect(run.result.stop == .exited(23))
        config.memoryLimit = 64 << 20
        #expect(try GuestRunner.run(config).result.stop == .exited(55))
    }

    @Test func programLargerThanTheMemoryLimitDoesNotLoad() throws {
        var config = RunConfiguration(elfPath: Repository.elf("hello"))
        config.memoryLimit = 1 << 20
        #expect {
            _ = try GuestRunner.run(config)
        } throws: { error in
            "\(error)".contains("more than the memory limit of 1 MiB (--memory-limit)")
        }
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not beside the test bundle")
        let r = try spawn(rvjit, ["run", "--memory-limit", "1M", Repository.elf("hello")])
        #expect(r.status == 2)
        #expect(r.err.contains("--memory-limit"))
    }

    @Test func sizesOnTheCommandLine() {
        #expect(ByteSize(argument: "256M")?.bytes == 256 << 20)
        #expect(ByteSize(argument: "1g")?.bytes == 1 << 30)
        #expect(ByteSize(argument: "64KiB")?.bytes == 64 << 10)
        #expect(ByteSize(argument: "4096")?.bytes == 4096)
        #expect(ByteSize(argument: "99999999999999999999G") == nil)
        #expect(ByteSize(argument: "-1M") == nil)
        #expect(ByteSize(argument: "M") == nil)
    }

    /// A stop request (what `--timeout`'s timer makes) ends an endless loop and a trap storm at
    /// the next check, under both engines; no clock is involved.
    @Test(arguments: Engine.allCases)
    func stopRequestEndsEndlessLoops(_ engine: Engine) {
        let loop = Self.bareMachine([Asm.jal(0, 0)], budget: .max)
        loop.instructionBudget = nil
        loop.stopCheckInterval = 1000
        loop.stopRequest.request(.timedOut(1))
        Self.run(loop, engine)
        #expect(loop.stopReason == .timedOut(1))
        #expect(loop.stopReason?.exitStatus == 142)

        let handler = Self.ram + 0x1000
        let storm = Self.bareMachine(TestCode.li(5, handler) + [Asm.csr(.csrrw, 0, CSR.mtvec, 5), Instruction(.illegal)], budget: .max)
        storm.instructionBudget = nil
        storm.stopCheckInterval = 1000
        storm.stopRequest.request(.timedOut(2))
        Self.run(storm, engine)
        #expect(storm.stopReason == .timedOut(2))
    }

    /// `--timeout 1` on an endless loop: the status and the message (no assertion on time).
    @Test(arguments: ["jit", "interp"])
    func timeoutOnTheCommandLine(_ engine: String) throws {
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not beside the test bundle")
        let elf = try TempELF([Asm.jal(0, 0)])
        let r = try spawn(rvjit, ["run", "--engine", engine, "--timeout", "1", elf.path])
        #expect(r.status == 142)
        #expect(r.err.contains("rvjit: stopped after --timeout 1 s"))
    }

    /// Many distinct blocks through a cache far smaller than they need: the cache is flushed
    /// and refilled, stays within its limit, and the program's result is unchanged.
    @Test func codeCacheLimitFlushesAndStaysBounded() {
        let blocks = 500
        var program: [Instruction] = [Asm.i(.addi, 9, 0, 3)]  // s1 = rounds
        let top = program.count
        for _ in 0..<blocks { program += [Asm.i(.addi, 8, 8, 1), Asm.jal(0, 4)] }
        program += [Asm.i(.addi, 9, 9, -1), Asm.b(.bne, 9, 0, Int32(top - program.count - 1) * 4)]
        program += [Asm.i(.addi, 10, 8, 0)] + TestCode.exit
        let m = Machine(kind: .linux)
        TestCode.place(program, at: Self.code, in: m, size: 0x4000, perms: PageFlag.rx)
        m.pc = Self.code
        var options = JITOptions()
        options.threshold = 0
        options.codeCacheLimit = 8 << 10
        let syscalls = BasicSyscalls(console: Console(capture: { _, _ in }))
        m.syscalls = syscalls
        let jit = JIT(machine: m, options: options)
        jit.run()
        withExtendedLifetime(syscalls) {}
        #expect(m.stopReason == .exited(Int32(truncatingIfNeeded: 3 * blocks)))
        #expect(jit.statistics.cacheFlushes > 0)
        #expect(jit.liveCodeBytes <= 8 << 10)
    }

    /// A stub rewritten and called many times, with executions counted (`--stats`,
    /// `--profile`): the totals keep one record per pc, not one per translation.
    @Test func countedRewritesKeepOneRecordPerPC() {
        let rewrites: Int32 = 300
        let stub = Self.function
        let addi1 = Int32(bitPattern: encode(Asm.i(.addi, 10, 0, 1)) ?? 0)
        let addi2 = Int32(bitPattern: encode(Asm.i(.addi, 10, 0, 2)) ?? 0)
        var program: [Instruction] = TestCode.li(18, stub) + TestCode.li(19, UInt32(bitPattern: addi1))
        program += TestCode.li(20, UInt32(bitPattern: addi2)) + [Asm.i(.addi, 9, 0, rewrites)]
        let loop = program.count
        program += [
            Asm.s(.sw, 19, 0, 18), Asm.i(.addi, 21, 19, 0), Asm.i(.addi, 19, 20, 0), Asm.i(.addi, 20, 21, 0),  // swap words, store
            Asm.jal(1, 0),  // patched below: call the stub
            Asm.r(.add, 8, 8, 10), Asm.i(.addi, 9, 9, -1),
        ]
        program += [Asm.b(.bne, 9, 0, Int32(loop - program.count) * 4), Asm.i(.addi, 10, 8, 0)] + TestCode.exit
        let call = loop + 4
        program[call] = Asm.jal(1, Int32(stub) - Int32(Self.code) - Int32(call * 4))
        let m = Machine(kind: .linux)
        TestCode.place(program, at: Self.code, in: m, size: 0x1000, perms: PageFlag.rwx)
        TestCode.place([Asm.i(.addi, 10, 0, 0), Asm.i(.jalr, 0, 1, 0)], at: stub, in: m, size: 0, perms: PageFlag.rwx)
        m.pc = Self.code
        var options = JITOptions()
        options.threshold = 0
        options.countExecutions = true
        let syscalls = BasicSyscalls(console: Console(capture: { _, _ in }))
        m.syscalls = syscalls
        let jit = JIT(machine: m, options: options)
        jit.run()
        withExtendedLifetime(syscalls) {}
        #expect(m.stopReason == .exited(Int32(rewrites / 2 * 3)))
        let totals = jit.executionTotals()
        #expect(totals[stub]?.executions == UInt64(rewrites))
        #expect(totals.count < 20)
        #expect(jit.statistics.invalidations >= UInt64(rewrites) - 1)
    }
}

// MARK: Reading the ELF

extension HardeningTests {
    /// An empty file is "not an ELF file"; it is read with read(2) (FoundationEssentials'
    /// `contents(atPath:)` leaked a 4 KiB buffer for an empty file under LeakSanitizer).
    @Test func emptyFileIsNotAnELF() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/empty.elf"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect {
            _ = try Runner.readELF(path)
        } throws: { error in
            "\(error)" == "\(path): not an ELF file"
        }
        // A file larger than one read(2) chunk comes back whole.
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(big).write(to: URL(fileURLWithPath: dir + "/big.bin"))
        #expect(try Runner.readFile(dir + "/big.bin") == big)
    }
}
