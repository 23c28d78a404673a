import Foundation
import RVJITCommands
import Testing
import TestSupport

/// The guest-program set in a loop under both engines, in one process, watching the host's
/// resident memory: it must stay flat once the first rounds have warmed the caches.
/// `RVJIT_SOAK_SECONDS=600 swift test --filter SoakTests` soaks for ten minutes; the default is a
/// few rounds, so that the soak itself stays tested. The loop's length is counted in rounds, and
/// the clock only decides how many rounds a long soak runs; nothing asserts on time.
@Suite("Soak")
struct SoakTests {
    /// Resident set size in bytes, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    /// The rows that need no sandbox and end normally: from both instruction-set builds for a
    /// long soak, from the rv32i build for the default one.
    static func rows(long: Bool) -> [ManifestRow] {
        (long ? ProgramSet.allCases : [.rv32i]).flatMap { ManifestRow.all($0) }.filter { !$0.needsSandbox && $0.status == 0 }
    }

    @Test("Host memory stays flat over repeated runs of every guest program under both engines")
    func memoryStaysFlat() throws {
        let seconds = ProcessInfo.processInfo.environment["RVJIT_SOAK_SECONDS"].flatMap(Double.init)
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        let rows = Self.rows(long: seconds != nil)
        #expect(rows.count > 15)
        func round() throws {
            for row in rows {
                for engine in EngineKind.allCases {
                    let run = try GuestRunner.run(RunConfiguration(elfPath: row.elfPath, arguments: row.arguments, engine: engine))
                    #expect(run.result.exitStatus == row.status, "\(row) on \(engine)")
                }
            }
        }
        try round()  // warm-up: caches, lazily built tables
        let before = Self.residentBytes()
        var rounds = 0
        repeat {
            try round()
            rounds += 1
        } while rounds < 2 || deadline.map { Date() < $0 } ?? false
        let growth = Self.residentBytes() - before
        print("soak: \(rounds) rounds of \(rows.count) programs × 2 engines, resident memory \(before >> 20) MiB → \((before + growth) >> 20) MiB")
        // The suite's other tests run in the same process at the same time, so the bound leaves
        // them room; a leak of a few hundred KiB per run still crosses it.
        #expect(growth < 64 << 20, "resident memory grew by \(growth >> 20) MiB over \(rounds) rounds")
    }
}
