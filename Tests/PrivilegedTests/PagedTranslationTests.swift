import Foundation
import RISCV
import RVInterpreter
import RVJIT
import RVJITCommands
import RVMachine
import TestSupport
import Testing

/// The closure tier runs code fetched through Sv32 (docs/privileged.md, "The code cache under
/// paging"): the S-mode guests give the interpreter's results with every block translated at
/// once, the interpreter takes (almost) none of their paged blocks, and fences and address-space
/// switches leave nothing stale.
@Suite("Paged translation")
struct PagedTranslationTests {
    static let pagedRows = ["smode-vm", "smode-straddle", "svkernel", "svpager-small"]

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var policy: PrivilegedPolicy
        var tiers: JITTiers
        var description: String { "\(name) --privileged \(policy.rawValue) --tiers \(tiers)" }
    }

    static let cases: [Case] = pagedRows.flatMap { name in
        PrivilegedPolicy.allCases.flatMap { policy in
            [JITTiers(closure: true, native: false), .hostDefault].map { Case(name: name, policy: policy, tiers: $0) }
        }
    }

    @Test("translated at once, as the interpreter runs it; paged blocks stay in the closure tier", arguments: cases)
    func translatedLikeTheInterpreter(_ c: Case) throws {
        let row = BareRow.named(c.name)
        let reference = try row.run(.interp, c.policy)
        var config = row.configuration(.jit, c.policy)
        config.jit.threshold = 0
        config.jit.tiers = c.tiers
        let run = try GuestRunner.run(config)
        #expect(run.result.stop == reference.result.stop)
        #expect(run.stdout == reference.stdout)
        #expect(run.result.instructions == reference.result.instructions)
        let stats = try #require(run.result.jitStatistics)
        #expect(stats.pagedBlocksTranslated > 0)
        // Only a first instruction straddling two pages is left to the interpreter
        // (smode-straddle has one, taken a few times).
        #expect(stats.pagedFallbacks <= (c.name == "smode-straddle" ? 8 : 0), "\(stats.pagedFallbacks)")
        // What the interpreter still runs: single steps up to a limit (a change of address
        // space ends a block early) and untranslatable fetches, far fewer than blocks entered.
        #expect(stats.interpreterFallbacks * 20 < stats.dispatcherLookups + 20 * 8, "\(stats.interpreterFallbacks) of \(stats.dispatcherLookups)")
    }

    @Test("svpager's fences unlink blocks and keep those still mapped; the processes' switches keep their own")
    func fencesAndSwitches() throws {
        let row = BareRow.named("svpager-small")
        var config = row.configuration(.jit, .translate)
        config.jit.threshold = 0
        let run = try GuestRunner.run(config)
        #expect(run.stdout == row.expectedStdout)
        let stats = try #require(run.result.jitStatistics)
        // 3 processes × 40 yields: one fence by address and ASID per eviction and per page-in,
        // and a full fence every 16 yields.
        #expect(stats.translationFences > 240)
        // Pages are taken away and given back at the same frames: every fenced block is kept.
        #expect(stats.blocksReverified > 200)
        // Three address spaces run the same user page: one translation of each of its blocks
        // per space and per full fence, not one per switch (123 switches).
        #expect(stats.pagedBlocksTranslated < 2_000)
    }

    /// A bare S-mode machine with the row's ELF loaded (console output dropped).
    static func machine(_ name: String, isa: String) throws -> Machine {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.bareELF(name))))
        let m = Machine(kind: .bare)
        m.hasSupervisor = true
        m.isa = try ISA(parsing: isa)
        try m.load(ELFFile(bytes: bytes), arguments: [name]) { _ in }
        return m
    }

    static func state(_ m: Machine) -> String {
        let regs = (0..<32).map { "x\($0)=\(String(m[register: $0], radix: 16))" }.joined(separator: " ")
        return "pc=\(String(m.pc, radix: 16)) instret=\(m.instret) priv=\(m.privileged.privilege) satp=\(String(m.privileged.satp, radix: 16)) "
            + "stop=\(String(describing: m.stopReason))\n  \(regs)"
    }

    @Test("lockstep with the interpreter at every dispatcher round (registers, pc, count, mode, satp)",
          arguments: [("smode-vm", "rv32i", UInt32(1)), ("smode-straddle", "rv32ic", 1), ("svpager-small", "rv32i", 1), ("svpager-small", "rv32i", 64)])
    func lockstep(_ name: String, _ isa: String, _ chainBudget: UInt32) throws {
        let reference = try Self.machine(name, isa: isa), translated = try Self.machine(name, isa: isa)
        var options = JITOptions()
        options.threshold = 0
        let jit = JIT(machine: translated, options: options)
        var hook = NoRetireHook()
        var rounds = 0
        while true {
            let running = jit.stepBlock(chainBudget: chainBudget)
            rounds += 1
            if running {
                // Steps, not retirements: a trap into the guest's handler is a step that retires nothing.
                let steps = translated.stepped &- reference.stepped
                if steps > 0 { Interpreter().execute(reference, bounds: Interpreter.Bounds(maxSteps: steps), hook: &hook) }
            } else {
                Interpreter().run(reference)
            }
            let same = reference.pc == translated.pc && reference.stepped == translated.stepped
                && reference.instret == translated.instret && (0..<32).allSatisfy { reference[register: $0] == translated[register: $0] }
                && reference.privileged.privilege == translated.privileged.privilege
                && reference.privileged.satp == translated.privileged.satp && reference.stopReason == translated.stopReason
            guard same else {
                Issue.record("after round \(rounds):\n interp: \(Self.state(reference))\n jit:    \(Self.state(translated))")
                return
            }
            if !running { break }
        }
        #expect(translated.stopReason == .exited(0))
        #expect(jit.statistics.pagedBlocksTranslated > 0)
    }
}
