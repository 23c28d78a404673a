import Dispatch
import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVJITCommands
import RVMachine
import Testing
import TestSupport

/// What rvjit does on more than one thread, in forms short enough that `.ci/test` can run them
/// under the thread sanitizer (`--sanitize=thread`): the farm's workers filling one result list,
/// and a stop requested from another thread while the guest runs.
@Suite struct ConcurrencyTests {
    @Test("rvjit test --jobs 4: every worker's result lands in its own place",
          .enabled(if: rvjitExecutable != nil, "needs the rvjit executable built beside the tests"))
    func farmWorkersFillTheResults() throws {
        let names = ["isa-alu", "isa-branch", "isa-imm", "isa-jump", "isa-load", "isa-shift", "isa-store", "isa-misc"]
        let tests = try TestFarm.discover(names.map { Repository.elf($0) })
        var options = TestFarm.Options()
        options.jobs = 4
        let results = TestFarm.run(tests, options: options, executable: try #require(rvjitExecutable))
        #expect(results.map(\.test.name) == tests.map(\.name))
        #expect(results.allSatisfy { $0.verdict == .passed }, "\(results.map { "\($0.test.name): \($0.verdict)" })")
    }

    @Test("a stop requested from another thread ends an endless loop under both engines", arguments: ["interp", "jit"])
    func stopFromAnotherThread(_ engine: String) {
        let m = Machine(kind: .bare)
        TestCode.place([Asm.i(.addi, 5, 5, 1), Asm.jal(0, -4)], at: 0x8000_0000, in: m, size: 0x1000, perms: PageFlag.rwx)
        m.pc = 0x8000_0000
        m.stopCheckInterval = 1000
        let started = DispatchSemaphore(value: 0)
        let stop = m.stopRequest  // Sendable: the one thing of the machine another thread touches
        let requester = Thread {
            started.wait()
            stop.request(.timedOut(7))
        }
        requester.start()
        started.signal()
        if engine == "jit" { JIT(machine: m, options: JITOptions()).run() } else { Interpreter().run(m) }
        #expect(m.stopReason == .timedOut(7))
        #expect(m[register: 5] > 0)
    }
}
