import Foundation
import RVJITCommands
import RISCV
import RVMachine
import RVTracing
import TestSupport
import Testing

/// One row of Spike/expected.tsv: a bare program, the rvjit options that run it as Spike ran it,
/// how many lines from the entry the two logs share, and why they part there.
struct SpikeLogCase: Sendable, CustomStringConvertible {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Spike")

    var name: String
    var options: [String]
    var equalLines: Int
    var reason: String
    var description: String { name }

    static let all: [SpikeLogCase] = {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("expected.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") { return nil }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, let n = Int(f[2]) else { return nil }
            return SpikeLogCase(name: f[0], options: f[1].split(separator: " ").map(String.init), equalLines: n, reason: f[3])
        }
    }()

    /// Spike's lines from the first one at the ELF's entry: the boot ROM at 0x1000 before it is
    /// Spike's own (rvjit's bare machine starts at the entry), and lines that are not commit
    /// lines (Spike's `*** FAILED ***`) are not part of the log.
    func spikeLines(entry: UInt32) throws -> [String] {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("\(name).spike.log"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix("core ") }
        let pc = "0x" + String(entry, radix: 16).leftPadded(8)
        guard let start = lines.firstIndex(where: { $0.split(separator: " ", omittingEmptySubsequences: true)[safe: 3] == Substring(pc) }) else {
            return []
        }
        return Array(lines[start...])
    }

    /// rvjit's log of the program, through the command line as the README shows it.
    func rvjitLines(engine: String, in dir: ScratchDirectory) throws -> [String] {
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle (swift build builds it)")
        let path = dir.path("\(name).\(engine).log")
        _ = try spawn(rvjit, ["run", "--engine", engine, "--machine", "bare"] + options
            + ["--trace", "insns", "--trace-format", "spike", "--trace-file", path, Repository.bareELF(name)])
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

/// Where two logs first differ (nil: equal), and a report of it with the lines before.
func firstDifference(_ a: [String], _ b: [String]) -> Int? {
    if let k = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) { return k }
    return a.count == b.count ? nil : min(a.count, b.count)
}

func differenceReport(_ a: [String], _ b: [String], at k: Int, names: (String, String), context: Int = 3) -> String {
    var out = ["first difference at line \(k + 1) (from the entry):"]
    for i in max(0, k - context)..<k { out.append("  both:   \(a[i])") }
    out.append("  \(names.0): \(k < a.count ? a[k] : "<end of log>")")
    out.append("  \(names.1): \(k < b.count ? b[k] : "<end of log>")")
    return out.joined(separator: "\n")
}

@Suite struct SpikeCommitLogTests {
    /// rvjit's log equals Spike's line for line, under both engines, up to the documented point
    /// where the machines legitimately part (see Spike/README.md); the engines' logs are equal
    /// over the whole run.
    @Test(arguments: SpikeLogCase.all)
    func matchesSpike(_ c: SpikeLogCase) throws {
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: Repository.bareELF(c.name)))))
        let spike = try c.spikeLines(entry: elf.entry)
        try #require(spike.count > c.equalLines, "Spike/\(c.name).spike.log has too few lines after the entry")
        let dir = try ScratchDirectory("spike-\(c.name)")
        let interp = try c.rvjitLines(engine: "interp", in: dir)
        let jit = try c.rvjitLines(engine: "jit", in: dir)
        if let k = firstDifference(interp, jit) {
            Issue.record("\(c.name): the engines' logs differ; \(differenceReport(interp, jit, at: k, names: ("interp", "jit   ")))")
        }
        for (engine, log) in [("interp", interp), ("jit", jit)] {
            let k = firstDifference(spike, log) ?? spike.count
            if k != c.equalLines {
                Issue.record("""
                    \(c.name) (\(engine)): expected the logs to agree for \(c.equalLines) lines (\(c.reason)); \
                    \(differenceReport(spike, log, at: k, names: ("spike ", "rvjit ")))
                    """)
            }
        }
    }

    /// A trapping instruction has no line: the M-mode `ecall`s of priv-traps leave none, and the
    /// handler's first instruction follows the one before the trap, as in Spike's log.
    @Test func trappingEcallHasNoLine() throws {
        let c = try #require(SpikeLogCase.all.first { $0.name == "priv-traps" })
        let dir = try ScratchDirectory("spike-ecall")
        for engine in ["interp", "jit"] {
            let log = try c.rvjitLines(engine: engine, in: dir)
            #expect(!log.contains { $0.contains("(0x00000073)") })
            // The handler reads mcause 11 (ecall from M) right after the instruction before the ecall.
            #expect(log.contains { $0.contains("(0x34202df3) x27 0x0000000b") })
        }
    }

    /// Programs with compressed and floating-point instructions: both engines give the same log,
    /// compressed instructions show 4 hex digits, FP registers 16.
    @Test(arguments: ["bin-rv32imac/hello", "bin-rv32imafdc/isa-float-fma"])
    func enginesAgreeOnCompressedAndFloat(_ name: String) throws {
        let args = name.hasSuffix("hello") ? ["a"] : []
        let i = try traced(name, args, engine: .interp, kinds: [.insns], format: .spike).capture.lines
        let j = try traced(name, args, engine: .jit, kinds: [.insns], format: .spike).capture.lines
        #expect(!i.isEmpty)
        if let k = firstDifference(i, j) { Issue.record("\(differenceReport(i, j, at: k, names: ("interp", "jit   ")))") }
        if name.hasSuffix("hello") {
            #expect(i.contains { $0.range(of: #"^core   0: 0 0x[0-9a-f]{8} \(0x[0-9a-f]{4}\)"#, options: .regularExpression) != nil })
        } else {
            #expect(i.contains { $0.range(of: #" f[0-9]{1,2} +0x[0-9a-f]{16}( |$)"#, options: .regularExpression) != nil })
        }
    }

    /// With --trace-range, a Spike-format trace shows exactly the whole run's lines in the range,
    /// under both engines.
    @Test(arguments: [EngineKind.interp, .jit])
    func rangeSelectsLinesOfTheWholeLog(_ engine: EngineKind) throws {
        func run(_ filter: TraceFilter) throws -> [String] {
            var config = RunConfiguration(elfPath: Repository.bareELF("priv-user"), arguments: [], engine: engine)
            config.machine = .bare
            config.privilegeModes = .mu  // as Spike ran it (--priv=MU)
            config.deterministic = true
            config.isa = try ISA(parsing: "rv32i")
            let capture = TraceCapture()
            var trace = TraceConfiguration(kinds: [.insns])
            trace.destination = .capture(capture)
            trace.format = .spike
            trace.filter = filter
            config.trace = trace
            _ = try GuestRunner.run(config)
            return capture.lines
        }
        let range: (low: UInt32, high: UInt32) = (0x8000_0400, 0x8000_0600)
        let all = try run(TraceFilter())
        let ranged = try run(TraceFilter(range: range))
        let expected = all.filter { line in
            guard let pc = UInt32(line.split(separator: " ", omittingEmptySubsequences: true)[safe: 3]?.dropFirst(2) ?? "", radix: 16) else { return false }
            return pc >= range.low && pc < range.high
        }
        #expect(!expected.isEmpty)
        if let k = firstDifference(expected, ranged) { Issue.record("\(differenceReport(expected, ranged, at: k, names: ("whole ", "ranged")))") }
    }

    /// The line shapes of Spike/README.md's examples (taken from Spike's output on rv32gc programs).
    @Test func lineShapes() {
        typealias W = CommitRecord.Write
        func line(_ pc: UInt32, _ bits: UInt32, length: Int = 4, priv: UInt32 = 3, _ writes: [W] = [], loads: [UInt32] = [],
                  stores: [CommitRecord.Store] = []) -> String {
            CommitRecord(pc: pc, bits: bits, length: length, privilege: priv, writes: writes, loads: loads, stores: stores).line
        }
        #expect(line(0x8000_0000, 0x0500_006f) == "core   0: 3 0x80000000 (0x0500006f)")
        #expect(line(0x8000_0050, 0x0000_0093, [.x(1, 0)]) == "core   0: 3 0x80000050 (0x00000093) x1  0x00000000")
        #expect(line(0x8000_100c, 0x0182_a283, [.x(5, 0x8000_0000)], loads: [0x1018])
            == "core   0: 3 0x8000100c (0x0182a283) x5  0x80000000 mem 0x00001018")
        #expect(line(0x8000_01a8, 0x0011_2023, priv: 0, stores: [.init(address: 0x8000_2000, value: 0x00aa_00aa, width: 4)])
            == "core   0: 0 0x800001a8 (0x00112023) mem 0x80002000 0x00aa00aa")
        #expect(line(0x8000_2028, 0x617d, length: 2, priv: 0, [.x(2, 0x1424)]) == "core   0: 0 0x80002028 (0x617d) x2  0x00001424")
        #expect(line(0x8000_01a4, 0x00b6_a72f, priv: 0, [.x(14, 0x8000_0000)], loads: [0x8000_2000],
                     stores: [.init(address: 0x8000_2000, value: 0x7fff_f800, width: 4)])
            == "core   0: 0 0x800001a4 (0x00b6a72f) x14 0x80000000 mem 0x80002000 mem 0x80002000 0x7ffff800")
        #expect(line(0x8000_00dc, 0x3052_9073, [.csr(773, 0x8000_00e4)]) == "core   0: 3 0x800000dc (0x30529073) c773_mtvec 0x800000e4")
        // Writes in Spike's order (by register class and number), whatever order they are given in.
        #expect(line(0x8000_0198, 0x3020_0073, [.csr(1957, 0), .csr(784, 0), .csr(768, 0x80)])
            == "core   0: 3 0x80000198 (0x30200073) c768_mstatus 0x00000080 c784_mstatush 0x00000000 c1957_tcontrol 0x00000000")
        #expect(line(0x8000_01a4, 0x0005_2507, priv: 0, [.f(10, 0xffff_ffff_4020_0000)], loads: [0x8000_2000])
            == "core   0: 0 0x800001a4 (0x00052507) f10 0xffffffff40200000 mem 0x80002000")
        #expect(line(0x8000_01fc, 0x02b5_76d3, priv: 0, [.f(13, 0xc093_4800_0000_0000), .csr(1, 1)])
            == "core   0: 0 0x800001fc (0x02b576d3) c1_fflags 0x00000001 f13 0xc093480000000000")
        #expect(line(0x8000_0180, 0x0030_5073, [.csr(768, 0x8000_6000), .csr(2, 0), .csr(1, 0)])
            == "core   0: 3 0x80000180 (0x00305073) c1_fflags 0x00000000 c2_frm 0x00000000 c768_mstatus 0x80006000")
        #expect(line(0x8000_01c8, 0x0010_15f3, priv: 0, [.x(11, 0), .csr(1, 0)])
            == "core   0: 0 0x800001c8 (0x001015f3) c1_fflags 0x00000000 x11 0x00000000")
        #expect(line(0x8000_0034, 0x3403_12f3, [.csr(832, 0x9abc_def0), .x(5, 0x1234_5678)])
            == "core   0: 3 0x80000034 (0x340312f3) x5  0x12345678 c832_mscratch 0x9abcdef0")
        #expect(line(0x8000_0010, 0x0011_0023, stores: [.init(address: 0x8000_2000, value: 0xab, width: 1)])
            == "core   0: 3 0x80000010 (0x00110023) mem 0x80002000 0xab")
    }

    /// Spike's format is the commit log: other trace kinds have no line in it.
    @Test(arguments: [
        ["run", "--machine", "bare", "--trace", "insns,exec", "--trace-format", "spike"],
        ["trace", "--machine", "bare", "--trace-format", "spike"],
    ])
    func spikeFormatNeedsInsnsAlone(_ argv: [String]) throws {
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle (swift build builds it)")
        let r = try spawn(rvjit, argv + [Repository.bareELF("priv-csr")])
        #expect(r.status == 64)
        #expect(r.err.contains("--trace-format spike"))
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

extension Array {
    fileprivate subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
