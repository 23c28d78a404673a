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

    @Test("svpager's fences drop blocks, and the processes' switches keep their own")
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
        #expect(stats.invalidations > 0)
        // Three address spaces run the same user page: one translation of each of its blocks
        // per space and per full fence, not one per switch (123 switches).
        #expect(stats.pagedBlocksTranslated < 2_000)
    }
}
