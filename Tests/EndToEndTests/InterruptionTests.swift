import Foundation
import Testing
import TestSupport

/// SIGINT and SIGTERM stop the guest at a block boundary; the run keeps its traces, statistics
/// and profile, and exits 130 or 143. The signal is sent once the trace file exists (the handler
/// is installed before it is opened); nothing is asserted about time, and a run that does not
/// stop is killed after a generous bound and the test fails saying so.
@Suite("Interrupted runs")
struct InterruptionTests {
    @Test("an interrupted run flushes its trace, prints --stats and the profile, and exits 128 + the signal",
          arguments: [("interp", SIGINT), ("jit", SIGINT), ("jit", SIGTERM)] as [(String, Int32)])
    func interrupted(_ engine: String, _ signal: Int32) throws {
        let rvjit = try #require(rvjitExecutable)
        let dir = try ScratchDirectory("interrupt")
        let trace = dir.path("trace.jsonl")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: rvjit)
        p.arguments = ["run", "--engine", engine, "--stats", "--profile", "--trace", "exec", "--trace-format", "jsonl",
                       "--trace-file", trace, Repository.elf("sieve"), "4000000", "100000"]
        let err = dir.path("err")
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        try p.run()
        var waited = 0
        while !FileManager.default.fileExists(atPath: trace) && waited < 600 {
            Thread.sleep(forTimeInterval: 0.1)
            waited += 1
        }
        Thread.sleep(forTimeInterval: 0.3)  // let the guest get going (not asserted on)
        kill(p.processIdentifier, signal)
        if done.wait(timeout: .now() + 120) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            Issue.record("rvjit did not stop after the signal within the bound and was killed")
            return
        }
        #expect(p.terminationReason == .exit, "rvjit died of the signal instead of stopping the guest")
        #expect(p.terminationStatus == 128 + signal)
        let stderr = String(decoding: try Data(contentsOf: URL(fileURLWithPath: err)), as: UTF8.self)
        #expect(stderr.contains("stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM")"), "\(stderr)")
        #expect(stderr.contains("rvjit: instructions "), "--stats: \(stderr)")
        #expect(stderr.contains("hottest blocks"), "the profile: \(stderr)")
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: trace)), as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.last?.hasSuffix("}") == true, "the trace ends with a whole line")
    }
}
