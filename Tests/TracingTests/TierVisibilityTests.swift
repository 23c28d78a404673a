import Foundation
import RVJIT
import RVJITCommands
import RVMachine
import RVTracing
import TestSupport
import Testing

/// `--stats`, `exec` traces, profiles and `blocks` traces say which tier ran or compiled each
/// block: interp, closure or native.
@Suite struct TierVisibilityTests {
    /// A bench guest with small arguments: a few hot loops, quick under every tier.
    static let crc = Repository.guestPrograms.appendingPathComponent("bench/bin/crc.elf").path
    static let crcArguments = ["4096", "3"]

    /// `--tiers closure,native --native-threshold N` (every block the native tier takes is
    /// compiled again natively after N closure runs: at its first entry with 0), or `--tiers closure`.
    static func configuration(native: Bool, threshold: UInt32 = 0) -> RunConfiguration {
        var config = RunConfiguration(elfPath: crc, arguments: crcArguments, engine: .jit)
        config.jit.tiers = JITTiers(closure: true, native: native)
        config.jit.nativeThreshold = threshold
        return config
    }

    static func tracedCRC(
        native: Bool, threshold: UInt32 = 0, kinds: Set<TraceKind>, profile: Bool = false
    ) throws -> (CapturedRun, TraceCapture) {
        var config = configuration(native: native, threshold: threshold)
        let capture = TraceCapture()
        var trace = TraceConfiguration(kinds: kinds)
        trace.destination = .capture(capture)
        trace.profile = profile
        config.trace = trace
        return (try GuestRunner.run(config), capture)
    }

    @Test(.enabled(if: JITTiers.nativeAvailable)) func statsCountBlocksRunAndTranslatedPerTier() throws {
        for native in [true, false] {
            var config = Self.configuration(native: native)
            config.jit.countExecutions = true  // as `--stats` does
            let run = try GuestRunner.run(config)
            #expect(run.result.exitStatus == 0)
            let s = try #require(run.result.jitStatistics)
            let closure = try #require(s.executions(of: .closure)), nativeRuns = try #require(s.executions(of: .native))
            #expect(closure &+ nativeRuns == s.blockExecutions)
            #expect(s.executions(of: .interp) == s.interpreterFallbacks)
            let line = try #require(s.report().first { $0.hasPrefix("blocks run") })
            #expect(line.contains("interp \(s.interpreterFallbacks), closure \(closure), native \(nativeRuns)"), "\(line)")
            if native {
                #expect(s.nativeBlocksTranslated > 0 && nativeRuns > closure, "hot code runs natively: \(line)")
            } else {
                #expect(s.nativeBlocksTranslated == 0 && nativeRuns == 0, "\(line)")
                #expect(closure > 0)
            }
            let translated = try #require(s.report().first { $0.hasPrefix("blocks translated") })
            #expect(translated.contains("native \(s.nativeBlocksTranslated))"), "\(translated)")
        }
    }

    @Test(.enabled(if: JITTiers.nativeAvailable)) func profilesNameTheTiersThatRanEachBlock() throws {
        // Three closure runs, then native ones.
        let (run, capture) = try Self.tracedCRC(native: true, threshold: 3, kinds: [], profile: true)
        #expect(run.result.exitStatus == 0)
        let profile = try #require(capture.profile)
        let native = profile.blocks.filter { ($0.executionsByTier[.native] ?? 0) > 0 }
        #expect(!native.isEmpty)
        #expect(native.allSatisfy { $0.tiers == "closure,native" && $0.executionsByTier[.closure] == 3 }, "\(native.map(\.tiers))")
        for b in profile.blocks {
            #expect(b.executionsByTier.values.reduce(0, +) == b.executions, "block 0x\(String(b.pc, radix: 16))")
        }
        let lines = capture.profileLines
        let byTier = profile.executionsByTier
        #expect(lines.contains("block executions by tier: closure \(byTier[.closure] ?? 0), native \(byTier[.native] ?? 0)"), "\(lines.prefix(3))")
        #expect((byTier[.native] ?? 0) > (byTier[.closure] ?? 0))
        #expect(lines.contains { $0.contains("  closure,native  ") }, "the hottest blocks have a tier column")
        let json = profile.json(symbols: SymbolTable())
        #expect(json.contains("\"tiers\":{\"closure\":") && json.contains("\"native\":"))

        let (_, closures) = try Self.tracedCRC(native: false, kinds: [], profile: true)
        let p = try #require(closures.profile)
        #expect(!p.blocks.isEmpty && p.blocks.allSatisfy { $0.tiers == "closure" })
        #expect(p.executionsByTier[.native] == nil)
    }

    @Test func interpreterProfilesAndExecTracesSayInterp() throws {
        let t = try traced("fib", ["8"], engine: .interp, kinds: [.exec], profile: true)
        let exec = t.capture.lines.filter { $0.hasPrefix("exec ") }
        #expect(!exec.isEmpty && exec.allSatisfy { $0.hasSuffix(" tier interp") })
        let profile = try #require(t.capture.profile)
        #expect(profile.blocks.allSatisfy { $0.tiers == "interp" })
        #expect(t.capture.profileLines.contains("block executions by tier: interp \(profile.blocks.reduce(0) { $0 + $1.executions })"))
    }

    /// Exec traces hook every block entry, which only closures do: the native tier stays off and
    /// every line says so.
    @Test func execTracesSayClosureUnderTheJIT() throws {
        let (_, capture) = try Self.tracedCRC(native: JITTiers.nativeAvailable, kinds: [.exec])
        let exec = capture.lines.filter { $0.hasPrefix("exec ") }
        #expect(exec.count > 100)
        #expect(exec.allSatisfy { $0.hasSuffix(" tier closure") }, "\(exec.prefix(3))")
    }

    /// A block the native tier compiles again is traced again, as native, with its machine code.
    @Test(.enabled(if: JITTiers.nativeAvailable)) func blocksTraceShowsNativeRecompilationWithMachineCode() throws {
        let (_, capture) = try Self.tracedCRC(native: true, kinds: [.blocks, .invalidate])
        let lines = capture.lines
        let nativeHeaders = lines.indices.filter { lines[$0].hasPrefix("block ") && lines[$0].hasSuffix(", tier native") }
        #expect(!nativeHeaders.isEmpty)
        for k in nativeHeaders.prefix(5) {
            // The same pc was a closure block first (promoted at its first entry), then invalidated.
            let pc = String(lines[k].split(separator: " ")[1])
            #expect(lines[..<k].contains { $0.hasPrefix("block \(pc) ") && $0.hasSuffix(", tier closure") }, "\(pc)")
            let listing = lines[k...].prefix { !$0.hasPrefix("exec") }.drop { $0 != "  native x86-64:" }.dropFirst()
            let code = listing.prefix { $0.hasPrefix("    ") }
            #expect(!code.isEmpty, "block \(pc) lists its machine code")
        }
        #expect(lines.contains { $0.hasPrefix("invalidate ") && $0.contains("compiled again by the native tier") }, "\(lines.filter { $0.hasPrefix("invalidate") }.prefix(3))")
        // Closure blocks list closures, never machine code.
        for k in lines.indices where lines[k].hasPrefix("block ") && lines[k].hasSuffix(", tier closure") {
            let body = lines[(k + 1)...].prefix { !$0.hasPrefix("block ") && !$0.hasPrefix("invalidate ") }
            #expect(body.contains { $0.hasPrefix("  closures: ") } && !body.contains("  native x86-64:"))
        }
    }

    /// With GNU objdump installed (the test command installs binutils), the listing is its
    /// disassembly, not the hex fallback.
    @Test(.enabled(if: JITTiers.nativeAvailable && Benchmark.findExecutable("objdump") != nil))
    func machineCodeIsDisassembled() throws {
        let (_, capture) = try Self.tracedCRC(native: true, kinds: [.blocks])
        let lines = capture.lines
        let start = try #require(lines.firstIndex(of: "  native x86-64:"))
        let code = lines[(start + 1)...].prefix { $0.hasPrefix("    ") }
        #expect(code.contains { $0.contains("mov") }, "\(code.prefix(5))")
        #expect(code.contains { $0.contains("jmp") || $0.contains("ret") })
    }
}
