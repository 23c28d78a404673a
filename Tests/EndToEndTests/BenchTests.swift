import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RVJITCommands
import Testing
import TestSupport

/// `rvjit bench` end to end, on a tiny guest and one round: the files it writes parse back,
/// failures are failures, a missing qemu is named. No assertion looks at a time.
@Suite("rvjit bench")
struct BenchTests {
    static let rvjitMissing: Comment = "the rvjit executable is not built beside the test bundle (swift build builds it)"

    func bench(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try spawn(try #require(rvjitExecutable, Self.rvjitMissing), ["bench", "--rounds", "1", "--warmup", "0"] + arguments)
    }

    func report(_ path: String) throws -> BenchReport {
        try JSONDecoder().decode(BenchReport.self, from: Data(try Runner.readFile(path)))
    }

    func csvRows(_ path: String) throws -> [[String]] {
        let text = String(decoding: try Runner.readFile(path), as: UTF8.self)
        return text.split(separator: "\n").map { line in
            // The fields these tests check hold no quotes; a quoted reason may hold commas.
            var fields: [String] = [], field = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle() } else if c == "," && !quoted { fields.append(field); field = "" } else { field.append(c) }
            }
            fields.append(field)
            return fields
        }
    }

    func wellFormedXML(_ path: String) throws -> Bool {
        let parser = XMLParser(data: Data(try Runner.readFile(path)))
        return parser.parse()
    }

    @Test("a tiny guest, one round: JSON, CSV and SVG are well formed and agree")
    func outputs() throws {
        let dir = try ScratchDirectory("bench-outputs")
        let run = try bench(["--check-output", "--json", dir.path("r.json"), "--csv", dir.path("r.csv"), "--svg", dir.path("r.svg"), Repository.elf("hello"), "a", "b"])
        #expect(run.status == 0, "stdout: \(run.out)\nstderr: \(run.err)")
        #expect(run.out.contains("whole process"))

        let r = try report(dir.path("r.json"))
        #expect(r.rounds == 1 && r.warmup == 0)
        #expect(r.engines == [.interp, .jit])
        #expect(r.failures == 0)
        let w = try #require(r.workloads.first)
        #expect(w.failure == nil)
        #expect((w.instructions ?? 0) > 0)
        for engine in [BenchEngine.interp, .jit] {
            let m = try #require(w.measurement(engine))
            #expect(m.status == .ok)
            #expect(m.wallSeconds.count == 1)
            #expect(m.mips != nil)
            #expect(m.medianSeconds == m.wallSeconds.first)
        }
        #expect(w.ratios["jit/interp"] != nil)
        #expect(r.geometricMeans["jit/interp"] != nil)

        let rows = try csvRows(dir.path("r.csv"))
        #expect(rows.first == BenchReport.csvHeader)
        #expect(rows.count == 3)
        for row in rows.dropFirst() {
            #expect(row.count == BenchReport.csvHeader.count)
            #expect(row[3] == "ok")
            #expect(Double(row[11]) != nil, "mips column: \(row)")
        }
        #expect(Set(rows.dropFirst().map { $0[2] }) == ["interp", "jit"])

        #expect(try wellFormedXML(dir.path("r.svg")))
        let svg = String(decoding: try Runner.readFile(dir.path("r.svg")), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("geometric mean"))
    }

    @Test("a crashing guest is a failure: no MIPS, exit status 1", arguments: ["segv", "illegal"])
    func crashingGuest(_ name: String) throws {
        let dir = try ScratchDirectory("bench-crash")
        let run = try bench(["--json", dir.path("r.json"), "--csv", dir.path("r.csv"), "--svg", dir.path("r.svg"), Repository.elf(name)])
        #expect(run.status == 1, "stdout: \(run.out)\nstderr: \(run.err)")
        #expect(run.out.contains("FAILED"))
        let r = try report(dir.path("r.json"))
        #expect(r.failures == 1)
        let w = try #require(r.workloads.first)
        #expect(w.failure != nil)
        #expect(w.engines.allSatisfy { $0.mips == nil && $0.wallSeconds.isEmpty })
        #expect(r.geometricMeans.isEmpty)
        let rows = try csvRows(dir.path("r.csv"))
        #expect(rows.dropFirst().allSatisfy { $0[3] == "failed" && $0[11].isEmpty })
        #expect(try wellFormedXML(dir.path("r.svg")))
    }

    @Test("a missing qemu-riscv32 is named, and the rest is still measured")
    func missingQEMU() throws {
        let dir = try ScratchDirectory("bench-noqemu")
        let missing = dir.path("no-such-qemu")
        let run = try bench(["--qemu", "--qemu-path", missing, "--json", dir.path("r.json"), "--svg", dir.path("r.svg"), Repository.elf("hello")])
        #expect(run.status == 0, "stdout: \(run.out)\nstderr: \(run.err)")
        #expect(run.err.contains("qemu-riscv32 not found"))
        #expect(run.out.contains("not run hello.elf under qemu-riscv32"))
        let r = try report(dir.path("r.json"))
        let q = try #require(r.workloads.first?.measurement(.qemu))
        #expect(q.status == .unavailable)
        #expect(q.reason?.contains(missing) == true)
        #expect(r.workloads.first?.measurement(.jit)?.status == .ok)
        #expect(try wellFormedXML(dir.path("r.svg")))
    }

    @Test("a qemu run that fails is reported as a failure, not dropped")
    func failingQEMU() throws {
        let dir = try ScratchDirectory("bench-badqemu")
        let falseTool = try #require(Toolchain.find("false"), "no false(1) on PATH")
        let run = try bench(["--qemu", "--qemu-path", falseTool, "--json", dir.path("r.json"), "--csv", dir.path("r.csv"), Repository.elf("hello")])
        #expect(run.status == 1, "stdout: \(run.out)\nstderr: \(run.err)")
        #expect(run.out.contains("FAILED hello.elf under qemu-riscv32: exit status 1"))
        let r = try report(dir.path("r.json"))
        let w = try #require(r.workloads.first)
        #expect(w.measurement(.qemu)?.status == .failed)
        #expect(w.measurement(.qemu)?.mips == nil)
        #expect(w.measurement(.jit)?.status == .ok)
        #expect(w.ratios["jit/qemu"] == nil && w.ratios["jit/interp"] != nil)
        #expect(r.failures == 1)
        let rows = try csvRows(dir.path("r.csv"))
        #expect(rows.contains { $0[2] == "qemu" && $0[3] == "failed" })
    }

    @Test("a suite runs from its manifest and checks each run's output against it")
    func suite() throws {
        let dir = try ScratchDirectory("bench-suite")
        try FileManager.default.createDirectory(atPath: dir.path("bin"), withIntermediateDirectories: true)
        let crc = Repository.guestPrograms.appendingPathComponent("bench/bin/crc.elf").path
        try FileManager.default.copyItem(atPath: crc, toPath: dir.path("bin/crc.elf"))
        try FileManager.default.copyItem(atPath: crc, toPath: dir.path("bin/liar.elf"))
        // A small size of the crc workload; its one line of output, as the engines print it.
        let small = try GuestRunner.run(RunConfiguration(elfPath: crc, arguments: ["4096", "1"], engine: .interp))
        #expect(small.result.exitStatus == 0)
        let line = small.stdout.trimmingCharacters(in: .newlines)
        let manifest = "name\targs\tstdout\ncrc\t4096 1\t\(line)\nliar\t4096 1\tnot what it prints\n"
        try manifest.write(toFile: dir.path("benchmarks.tsv"), atomically: true, encoding: .utf8)
        let run = try bench(["--suite", dir.url.path, "--json", dir.path("r.json")])
        #expect(run.status == 1, "stdout: \(run.out)\nstderr: \(run.err)")
        #expect(run.out.contains("wrong output"))
        let r = try report(dir.path("r.json"))
        #expect(r.set == "rv32i")
        #expect(r.workloads.map(\.name) == ["crc", "liar"])
        #expect(r.workloads.first?.failure == nil)
        #expect(r.workloads.first?.measurement(.jit)?.mips != nil)
        #expect(r.failures == 1)
        #expect(r.workloads.last?.failure?.contains("expected \"not what it prints\"") == true)

        let missingSet = try bench(["--suite", dir.url.path, "--set", "rv32imac"])
        #expect(missingSet.status != 0)
        #expect(missingSet.err.contains("bin-rv32imac"))
    }

    @Test("the committed workload suite's manifest names an ELF for every row in every build")
    func committedSuite() throws {
        let suite = Repository.guestPrograms.appendingPathComponent("bench").path
        var names: [String: [String]] = [:]
        for set in ["rv32i", "rv32imac", "rv32imafdc"] {
            let workloads = try BenchSuite.load(suite, set: set)
            #expect(workloads.count >= 16)
            names[set] = workloads.map(\.name)
            for w in workloads {
                #expect(FileManager.default.fileExists(atPath: w.elf), "\(set): \(w.elf)")
                #expect(w.expectedStdout?.hasPrefix(w.name + ":") == true)
            }
        }
        #expect(names["rv32i"] == names["rv32imac"] && names["rv32i"] == names["rv32imafdc"])
        // The float workloads: soft float in rv32i and rv32imac, sized for each; F/D in rv32imafdc.
        let soft = try #require(try BenchSuite.load(suite, set: "rv32i").first { $0.name == "nbody" })
        let hard = try #require(try BenchSuite.load(suite, set: "rv32imafdc").first { $0.name == "nbody" })
        #expect(soft.arguments != hard.arguments)
        #expect(hard.elf.hasSuffix("bin-rv32imafdc/nbody.elf"))
    }

    @Test("a NAME@SET row sizes a workload for one build only, and must name a workload")
    func perSetRows() throws {
        let dir = try ScratchDirectory("bench-perset")
        for d in ["bin", "bin-rv32imac"] {
            try FileManager.default.createDirectory(atPath: dir.path(d), withIntermediateDirectories: true)
        }
        let manifest = "name\targs\tstdout\nw\t1 2\tw: small\nw@rv32imac\t30 4\tw: big\nv\t5\tv: five\n"
        try manifest.write(toFile: dir.path("benchmarks.tsv"), atomically: true, encoding: .utf8)
        let base = try BenchSuite.load(dir.url.path, set: "rv32i")
        #expect(base.map(\.name) == ["w", "v"])
        #expect(base[0].arguments == ["1", "2"] && base[0].expectedStdout == "w: small")
        let sized = try BenchSuite.load(dir.url.path, set: "rv32imac")
        #expect(sized.map(\.name) == ["w", "v"])
        #expect(sized[0].arguments == ["30", "4"] && sized[0].expectedStdout == "w: big")
        #expect(sized[0].elf.hasSuffix("bin-rv32imac/w.elf"))
        #expect(sized[1].arguments == ["5"])

        try "name\targs\tstdout\nw\t1\tw: x\nu@rv32i\t2\tu: y\n".write(toFile: dir.path("benchmarks.tsv"), atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try BenchSuite.load(dir.url.path, set: "rv32i") }
        try "name\targs\tstdout\nw@\t1\tw: x\n".write(toFile: dir.path("benchmarks.tsv"), atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try BenchSuite.load(dir.url.path, set: "rv32i") }
    }

    @Test("qemu-riscv32 is timed like rvjit and checked like it")
    func withQEMU() throws {
        _ = try #require(Toolchain.qemu, Toolchain.qemuMissing)
        let dir = try ScratchDirectory("bench-qemu")
        let run = try bench(["--qemu", "--json", dir.path("r.json"), "--svg", dir.path("r.svg"), Repository.elf("hello"), "a", "b"])
        #expect(run.status == 0, "stdout: \(run.out)\nstderr: \(run.err)")
        let r = try report(dir.path("r.json"))
        let w = try #require(r.workloads.first)
        #expect(w.measurement(.qemu)?.status == .ok)
        #expect(w.ratios["jit/qemu"] != nil && w.ratios["interp/qemu"] != nil)
        #expect(try wellFormedXML(dir.path("r.svg")))
    }
}
