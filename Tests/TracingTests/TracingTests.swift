import Foundation
import RVJIT
import RVJITCommands
import RVMachine
import RVTracing
import TestSupport
import Testing

/// A traced in-process run: the configuration's trace goes into a capture.
func traced(
    _ name: String, _ arguments: [String] = [], engine: EngineKind, kinds: Set<TraceKind>,
    format: TraceFormat = .text, filter: TraceFilter = TraceFilter(), profile: Bool = false, cfg: String? = nil,
    path: String? = nil
) throws -> (run: CapturedRun, capture: TraceCapture) {
    // "set/name" names an ELF of another program set (e.g. "bin-rv32imafdc/isa-float-fma").
    let byName = name.contains("/") ? Repository.guestPrograms.appendingPathComponent("\(name).elf").path : Repository.elf(name)
    var config = RunConfiguration(elfPath: path ?? byName, arguments: arguments, engine: engine)
    let capture = TraceCapture()
    var trace = TraceConfiguration(kinds: kinds)
    trace.destination = .capture(capture)
    trace.format = format
    trace.filter = filter
    trace.profile = profile
    trace.cfgPath = cfg
    config.trace = trace
    return (try GuestRunner.run(config), capture)
}

/// Programs small enough to trace every instruction of, with arguments.
let insnPrograms: [(String, [String])] = [
    ("isa-jump", []), ("isa-branch", []), ("isa-load", []), ("isa-store", []), ("isa-misc", []),
    ("isa-lui-auipc", []), ("hello", ["a", "b"]), ("fib", ["12"]), ("smc", ["50"]), ("illegal", []), ("segv", []),
    ("bin-rv32imafdc/isa-float-fma", []), ("bin-rv32imafdc/isa-float-convert", []),
]

@Suite struct FloatTraceTests {
    /// F/D register writes show as Spike shows them (`f4 0xffffffff7fc00000`), fsd stores 8 bytes,
    /// and JSONL has `frd`/`fvalue`.
    @Test func floatWritesAndStores() throws {
        let t = try traced("bin-rv32imafdc/isa-float-fma", engine: .jit, kinds: [.insns], filter: TraceFilter(count: 40))
        let lines = t.capture.lines
        #expect(lines.contains { $0.contains("fmadd.s") && $0.hasSuffix(" f4 0xffffffff7fc00000") }, "\(lines)")
        #expect(lines.contains { $0.contains("fmv.w.x") && $0.contains(" f1 0xffffffff7f800000") })
        #expect(lines.contains { $0.contains("fsd") && $0.contains(" mem 0x") && $0.hasSuffix(" 0xffffffff7fc00000") })
        let j = try traced("bin-rv32imafdc/isa-float-fma", engine: .interp, kinds: [.insns], format: .jsonl, filter: TraceFilter(count: 40))
        let fmadd = try #require(j.capture.lines.first { $0.contains("fmadd.s") })
        #expect(fmadd.contains("\"frd\":4") && fmadd.contains("\"fvalue\":\(0xffff_ffff_7fc0_0000 as UInt64)"), "\(fmadd)")
    }
}

@Suite struct TraceKindTests {
    @Test func parsesListsAndAll() throws {
        #expect(try TraceKind.parseList("blocks,exec") == [.blocks, .exec])
        #expect(try TraceKind.parseList("all") == Set(TraceKind.allKinds))
        #expect(throws: TraceKindError.self) { try TraceKind.parseList("blocks,bogus") }
    }

    @Test func helpComesFromTheTable() {
        for (kind, help) in TraceKind.table {
            #expect(TraceKind.helpText.contains("\(kind.rawValue) (\(help))"))
        }
    }

    @Test(arguments: [
        ["run", "--trace", "bogus", "x.elf"], ["trace", "--trace", "exec,", "x.elf"],
        ["run", "--trace-range", "100-80", "x.elf"], ["run", "--trace-range", "zz", "x.elf"],
    ])
    func invalidOptionsAreValidationErrors(_ argv: [String]) {
        do {
            _ = try RVJITCommand.parseAsRoot(argv)
            Issue.record("\(argv) parsed")
        } catch {
            #expect(RVJITCommand.exitCode(for: error) != .success)
            #expect(!RVJITCommand.message(for: error).isEmpty)
        }
    }
}

@Suite struct InstructionTraceTests {
    /// The whole-run `insns` trace is the same under both engines.
    @Test(arguments: insnPrograms.map { $0.0 })
    func enginesAgree(_ name: String) throws {
        let args = insnPrograms.first { $0.0 == name }!.1
        let i = try traced(name, args, engine: .interp, kinds: [.insns])
        let j = try traced(name, args, engine: .jit, kinds: [.insns])
        let a = i.capture.lines, b = j.capture.lines
        #expect(UInt64(a.count) == i.run.result.instructions)
        #expect(a.count == b.count)
        if let k = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) {
            Issue.record("\(name): first difference at line \(k):\n interp: \(a[k])\n jit:    \(b[k])")
        }
        #expect(i.run.stdout == j.run.stdout)
        // Tracing instructions makes the JIT translate basic blocks without fusion; the JIT as it
        // normally runs (superblocks, superinstructions, passes, threshold) must end in exactly
        // the state the traced interpreter ended in.
        let path = name.contains("/") ? Repository.guestPrograms.appendingPathComponent("\(name).elf").path : Repository.elf(name)
        let plain = try GuestRunner.run(RunConfiguration(elfPath: path, arguments: args, engine: .jit))
        #expect(plain.result.stop == i.run.result.stop)
        #expect(plain.result.instructions == i.run.result.instructions)
        #expect(plain.result.finalPC == i.run.result.finalPC)
        #expect(plain.result.registers == i.run.result.registers)
        #expect(plain.stdout == i.run.stdout)
    }

    @Test func linesHaveTheDocumentedShape() throws {
        let t = try traced("isa-lui-auipc", engine: .jit, kinds: [.insns])
        let first = try #require(t.capture.lines.first)
        #expect(first.hasPrefix("core   0: 0 0x"))
        // A register write: the value column starts at 72.
        let lui = try #require(t.capture.lines.first { $0.contains(" lui ") })
        #expect(lui.count > 72 && lui.dropFirst(72).hasPrefix(" x"))
        let store = try #require(try traced("isa-store", engine: .interp, kinds: [.insns]).capture.lines.first { $0.contains(" sw ") })
        #expect(store.contains(" mem 0x"))
    }
}

@Suite struct GoldenTraceTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Compares with Golden/NAME; with RVJIT_REGENERATE_GOLDEN=1 in the environment, rewrites it instead:
    /// `RVJIT_REGENERATE_GOLDEN=1 swift test --filter GoldenTraceTests`, then review the diff by eye.
    func check(_ lines: [String], against file: String) throws {
        let url = Self.directory.appendingPathComponent(file)
        let text = lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["RVJIT_REGENERATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        let g = golden.split(separator: "\n", omittingEmptySubsequences: false), t = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let k = (0..<min(g.count, t.count)).first(where: { g[$0] != t[$0] }) ?? (g.count != t.count ? min(g.count, t.count) : nil) {
            Issue.record("""
                trace differs from Golden/\(file) at line \(k + 1):
                 golden: \(k < g.count ? g[k] : "<end>")
                 now:    \(k < t.count ? t[k] : "<end>")
                If the change is intended, regenerate with RVJIT_REGENERATE_GOLDEN=1 swift test --filter GoldenTraceTests and review the diff.
                """)
        }
    }

    @Test func insnsOfIsaJump() throws {
        let t = try traced("isa-jump", engine: .interp, kinds: [.insns])
        try check(t.capture.lines, against: "isa-jump.insns.txt")
    }

    @Test func blocksAndExecOfHelloStart() throws {
        // The first 60 instructions of hello: the start-up code's blocks, translated and run.
        let t = try traced("hello", ["a", "b"], engine: .jit, kinds: [.blocks, .exec], filter: TraceFilter(count: 60))
        try check(t.capture.lines, against: "hello.blocks-exec.txt")
    }

    @Test func jsonlOfIsaJumpStart() throws {
        let t = try traced("isa-jump", engine: .jit, kinds: [.insns, .exec], format: .jsonl, filter: TraceFilter(count: 12))
        try check(t.capture.lines, against: "isa-jump.start.jsonl")
    }
}

@Suite struct JSONLTests {
    static let fields: [String: [String]] = [
        "blocks": ["kind", "icount", "pc", "end", "symbol", "length", "insns", "ir_before", "ir_after", "shapes", "tier"],
        "exec": ["kind", "icount", "pc", "symbol", "count", "tier"],
        "insns": ["kind", "icount", "pc", "symbol", "word", "disasm", "priv"],
        "invalidate": ["kind", "icount", "pc", "end", "symbol", "reason"],
        "chain": ["kind", "icount", "from", "from_symbol", "to", "to_symbol", "linked"],
    ]

    @Test(arguments: [EngineKind.jit, .interp])
    func everyLineParsesWithTheDocumentedFields(_ engine: EngineKind) throws {
        let t = try traced("smc", ["20"], engine: engine, kinds: Set(TraceKind.allKinds), format: .jsonl)
        var seen = Set<String>()
        for line in t.capture.lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            let kind = try #require(object["kind"] as? String)
            seen.insert(kind)
            for f in Self.fields[kind] ?? ["kind", "icount"] {
                #expect(object.keys.contains(f), "\(kind) line lacks \(f): \(line)")
            }
            if kind == "insns", object["rd"] != nil { #expect(object["value"] is NSNumber) }
        }
        #expect(seen.isSuperset(of: engine == .jit ? ["blocks", "exec", "insns", "invalidate", "chain"] : ["exec", "insns"]))
    }
}

@Suite struct FilterTests {
    @Test(arguments: [EngineKind.jit, .interp])
    func rangeKeepsOnlyThosePCs(_ engine: EngineKind) throws {
        let elf = try Runner.readELF(Repository.elf("fib"))
        let fib = try #require(elf.symbols["fib"])
        let range = (fib.address, fib.address &+ max(fib.size, 4))
        let t = try traced("fib", ["10"], engine: engine, kinds: [.insns, .exec], format: .jsonl, filter: TraceFilter(range: range))
        #expect(!t.capture.lines.isEmpty)
        for line in t.capture.lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let pc = try #require((o["pc"] as? NSNumber)?.uint32Value)
            #expect(pc >= range.0 && pc < range.1)
        }
    }

    /// With a range, the JIT gives the same instruction lines as the interpreter, and only the
    /// blocks that overlap the range carry retire hooks (the others run untraced).
    @Test func rangedInstructionTracesAgreeAndHookOnlyTheRange() throws {
        let elf = try Runner.readELF(Repository.elf("fib"))
        let fib = try #require(elf.symbols["fib"])
        let range = (fib.address, fib.address &+ max(fib.size, 4))
        let interp = try traced("fib", ["12"], engine: .interp, kinds: [.insns], filter: TraceFilter(range: range))
        let jit = try traced("fib", ["12"], engine: .jit, kinds: [.insns, .blocks], filter: TraceFilter(range: range))
        let jitInsns = jit.capture.lines.filter { $0.hasPrefix("core") }
        #expect(!jitInsns.isEmpty)
        #expect(jitInsns == interp.capture.lines)
        // The translations themselves: retire slots only in blocks that overlap the range.
        let machine = Machine(kind: .linux)
        let syscalls = BasicSyscalls(console: Console(capture: { _, _ in }))
        machine.syscalls = syscalls
        try machine.load(elf, arguments: ["fib", "12"])
        var hooks = CompileOptions()
        hooks.retireHook = true
        hooks.hookRange = range
        hooks.countExecutions = true
        let engine = JIT(machine: machine, hooks: hooks)
        var retired = 0
        engine.onRetire = { _, _, _ in retired += 1 }
        engine.run()
        withExtendedLifetime(syscalls) {}
        #expect(retired > 0)
        var hooked = 0, plain = 0
        for block in engine.cachedBlocks {
            let overlaps = block.pc < range.1 && block.endPC > range.0
            #expect(block.shapes.contains("retire") == overlaps, "block 0x\(String(block.pc, radix: 16))")
            if overlaps { hooked += 1 } else { plain += 1 }
        }
        #expect(hooked > 0 && plain > 0)
    }

    @Test(arguments: [EngineKind.jit, .interp])
    func afterAndCountSelectAWindow(_ engine: EngineKind) throws {
        let all = try traced("hello", ["a"], engine: engine, kinds: [.insns]).capture.lines
        let window = try traced("hello", ["a"], engine: engine, kinds: [.insns], filter: TraceFilter(after: 100, count: 25)).capture.lines
        #expect(window == Array(all[100..<125]))
        let exec = try traced("hello", ["a"], engine: engine, kinds: [.exec], format: .jsonl, filter: TraceFilter(after: 100, count: 50))
        #expect(!exec.capture.lines.isEmpty)
        for line in exec.capture.lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let n = try #require((o["icount"] as? NSNumber)?.uint64Value)
            #expect(n >= 100 && n < 150)
        }
    }
}

@Suite struct ProfileTests {
    @Test(arguments: [EngineKind.jit, .interp])
    func totalsSumToTheInstructionCount(_ engine: EngineKind) throws {
        let t = try traced("sieve", ["5000", "2"], engine: engine, kinds: [], profile: true)
        let p = try #require(t.capture.profile)
        #expect(p.totalInstructions == t.run.result.instructions)
        let inBlocks = p.blocks.reduce(0) { $0 + $1.instructions }
        #expect(Int64(inBlocks) + p.unattributed == Int64(p.totalInstructions))
        if engine == .interp { #expect(p.unattributed == 0) }
        // Under the JIT only the exit's ecall and similar stragglers are outside blocks.
        #expect(abs(p.unattributed) < 100)
        let symbols = try Runner.readELF(Repository.elf("sieve")).symbols
        #expect(p.functions(symbols).reduce(0) { $0 + $1.instructions } == inBlocks)
        #expect(p.functions(symbols).first?.name == "main" || p.functions(symbols).first?.name == "sieve")
        let lines = t.capture.profileLines
        #expect(lines.first == "profile: \(p.totalInstructions) guest instructions, \(p.blocks.count) blocks")
        #expect(lines.contains("per function:"))
    }

    @Test func enginesFindTheSameHottestBlock() throws {
        let i = try #require(try traced("sieve", ["5000", "2"], engine: .interp, kinds: [], profile: true).capture.profile)
        let j = try #require(try traced("sieve", ["5000", "2"], engine: .jit, kinds: [], profile: true).capture.profile)
        #expect(i.blocks.first?.pc == j.blocks.first?.pc)
        #expect(i.blocks.first?.instructions == j.blocks.first?.instructions)
    }
}

@Suite struct ControlFlowGraphTests {
    @Test(arguments: [EngineKind.jit, .interp])
    func dotMatchesTheBlocksAndEdges(_ engine: EngineKind) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-cfg-\(UUID().uuidString).dot").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try traced("fib", ["10"], engine: engine, kinds: [], cfg: path)
        let graph = try #require(t.capture.graph)
        let dot = try String(contentsOfFile: path, encoding: .utf8)
        let lines = dot.split(separator: "\n")
        let nodes = lines.filter { $0.hasPrefix("  b") && !$0.contains(" -> ") }
        let edges = lines.filter { $0.contains(" -> ") }
        #expect(nodes.count == graph.blocks.count)
        #expect(edges.count == graph.edges.count)
        #expect(graph.blocks.count > 5 && graph.edges.count > 5)
        if engine == .jit {
            #expect(edges.contains { $0.contains("style=bold") }, "chained edges are marked")
        }
        // Edge counts: every block entry but the first came along some edge.
        let entries = graph.blocks.reduce(0) { $0 + $1.executions }
        #expect(graph.edges.reduce(0) { $0 + $1.count } == entries - 1)
        #expect(dot.contains(" fib\\l") || dot.contains(" fib+0x"), "blocks are named by symbol+offset")
        let dotTool = try #require(Toolchain.dot, Toolchain.dotMissing)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dotTool)
        p.arguments = ["-Tsvg", path, "-o", path + ".svg"]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: path + ".svg"))
        try? FileManager.default.removeItem(atPath: path + ".svg")
    }
}

@Suite struct InvalidationTraceTests {
    @Test func selfModifyingCodeShowsItsInvalidations() throws {
        let t = try traced("smc", ["20"], engine: .jit, kinds: [.invalidate, .chain])
        let inv = t.capture.lines.filter { $0.hasPrefix("invalidate ") }
        #expect(!inv.isEmpty)
        #expect(inv.allSatisfy { $0.contains("store to 0x") || $0.contains("fence.i") })
        #expect(t.capture.lines.contains { $0.hasPrefix("chain link ") })
        #expect(UInt64(inv.count) == t.run.result.jitStatistics?.invalidations)
    }
}

/// Traces of compressed code (an RV32IMAC build of a guest program): instructions sit 2 or 4
/// bytes apart, and everything that lists a block's instructions says so.
@Suite(
    "Traces of compressed code",
    .enabled(if: Toolchain.gcc != nil, "riscv64-unknown-elf-gcc is not installed (bash .ci/test installs it)"))
struct CompressedTraceTests {
    @Test func insnsAgreeAndBlocksListEveryInstructionAtItsAddress() throws {
        let dir = try ScratchDirectory("trace-imac")
        let path = try GuestBuild.build("qsort", march: "rv32imac", in: dir)
        let i = try traced("qsort", ["300"], engine: .interp, kinds: [.insns], path: path)
        let j = try traced("qsort", ["300"], engine: .jit, kinds: [.insns], path: path)
        #expect(i.capture.lines == j.capture.lines)
        #expect(i.capture.lines.contains { $0.contains(" (0x0000") }, "compressed instructions were traced")

        // Each block's guest lines: `    PC  WORD  DISASM`, the next pc after a compressed one 2 on.
        let b = try traced("qsort", ["300"], engine: .jit, kinds: [.blocks], path: path)
        var checked = 0
        var previous: (pc: UInt32, word: UInt32)? = nil
        for line in b.capture.lines {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard line.hasPrefix("    "), f.count >= 3, let pc = UInt32(f[0], radix: 16), let word = UInt32(f[1], radix: 16) else {
                previous = nil
                continue
            }
            if let p = previous {
                #expect(pc == p.pc &+ (p.word & 3 == 3 ? 4 : 2), "\(line)")
                checked += 1
            }
            previous = (pc, word)
        }
        #expect(checked > 50)
    }

    @Test func interpreterProfileFindsTheJITsBlocks() throws {
        let dir = try ScratchDirectory("profile-imac")
        let path = try GuestBuild.build("sha256", march: "rv32imac", in: dir)
        let i = try #require(try traced("sha256", ["200"], engine: .interp, kinds: [], profile: true, path: path).capture.profile)
        let j = try #require(try traced("sha256", ["200"], engine: .jit, kinds: [], profile: true, path: path).capture.profile)
        #expect(i.blocks.first?.pc == j.blocks.first?.pc)
        #expect(i.blocks.first?.instructions == j.blocks.first?.instructions)
        #expect(i.blocks.first?.endPC == j.blocks.first?.endPC)
        #expect((i.blocks.first?.words.count ?? 0) > 4)
    }
}

