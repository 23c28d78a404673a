import Foundation
import RVJITCommands
import Testing
import TestSupport

/// `--cfg` pictures that scale (clusters by function, summaries by default, one function on
/// demand) and `--profile-file`.
@Suite("CFG pictures and profile files")
struct PicturesAndProfilesTests {
    func rvjit(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try spawn(try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle"), arguments)
    }

    func render(_ dot: String) throws {
        let tool = try #require(Toolchain.dot, Toolchain.dotMissing)
        let r = try runBounded(tool, ["-Tpng", dot, "-o", dot + ".png"])
        #expect(r.status == 0, "\(r.output)")
    }

    @Test("the sha256 graph clusters blocks by function with summaries only; --cfg-detail adds the disassembly",
          arguments: ["interp", "jit"])
    func clustered(_ engine: String) throws {
        let dir = try ScratchDirectory("cfg")
        let sha = Repository.elf("sha256")
        #expect(try rvjit(["run", "--engine", engine, "--cfg", dir.path("g.dot"), sha]).status == 0)
        let dot = try String(contentsOfFile: dir.path("g.dot"), encoding: .utf8)
        #expect(dot.contains("subgraph cluster_0 {"))
        #expect(dot.contains(#"label="compress  ("#), "\(dot.prefix(500))")
        // compress's first block: its address (from the ELF, which rebuilds may move), length and count.
        let compress = try #require(try Runner.readELF(sha).symbols["compress"]?.address)
        let hex = String(format: "%08x", compress)
        #expect(dot.contains(#"label="0x\#(hex) compress\l31 insns, 69x\l""#), "a summary label")
        #expect(!dot.contains("\tadd") && !dot.contains("  add"), "no disassembly by default")
        try render(dir.path("g.dot"))

        #expect(try rvjit(["run", "--engine", engine, "--cfg", dir.path("d.dot"), "--cfg-detail", sha]).status == 0)
        let detail = try String(contentsOfFile: dir.path("d.dot"), encoding: .utf8)
        #expect(detail.contains("\(hex)  "), "disassembly lines with --cfg-detail")
    }

    @Test("--cfg-function draws one function, with other functions as named nodes")
    func oneFunction() throws {
        let dir = try ScratchDirectory("cfg-fn")
        let r = try rvjit(["run", "--cfg", dir.path("f.dot"), "--cfg-function", "compress", Repository.elf("sha256")])
        #expect(r.status == 0, "\(r.err)")
        let dot = try String(contentsOfFile: dir.path("f.dot"), encoding: .utf8)
        #expect(dot.components(separatedBy: "subgraph cluster_").count == 2, "one cluster")
        #expect(dot.contains("compress") && !dot.contains(#"main+0x"#))
        #expect(dot.contains(#"[label="sha256", shape=plaintext"#), "the caller as a named node")
        try render(dir.path("f.dot"))
        let bad = try rvjit(["run", "--cfg", dir.path("x.dot"), "--cfg-function", "no_such_function", Repository.elf("sha256")])
        #expect(bad.status == 2 && bad.err.contains("no_such_function"), "\(bad.err)")
        #expect(bad.out.isEmpty, "the guest ran")
    }

    @Test("--profile-file writes text, or JSON for .json", arguments: ["interp", "jit"])
    func profileFile(_ engine: String) throws {
        let dir = try ScratchDirectory("profile")
        let sieve = [Repository.elf("sieve"), "5000", "2"]
        let text = try rvjit(["run", "--engine", engine, "--profile-file", dir.path("p.txt")] + sieve)
        #expect(text.status == 0)
        #expect(!text.err.contains("hottest blocks"), "the profile went to the file, not stderr")
        let lines = try String(contentsOfFile: dir.path("p.txt"), encoding: .utf8)
        #expect(lines.hasPrefix("profile: ") && lines.contains("per function:"))

        #expect(try rvjit(["run", "--engine", engine, "--profile-file", dir.path("p.json")] + sieve).status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.path("p.json")))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["total_instructions"] as? Int ?? 0) > 0)
        let functions = try #require(object["functions"] as? [[String: Any]])
        #expect(functions.contains { $0["name"] as? String == "main" })
        #expect((object["blocks"] as? [[String: Any]])?.first?["executions"] != nil)
    }
}
