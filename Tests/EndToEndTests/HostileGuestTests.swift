import Foundation
import TestSupport
import Testing

/// One row of `guest-programs/hostile/programs.tsv`: a hostile guest, the options it runs
/// with, and how it must end (status, a line on stderr, a line on stdout).
struct HostileRow: Sendable, CustomStringConvertible {
    var name: String
    var options: [String]
    var arguments: [String]
    var status: Int32
    var stderr: String?
    var stdout: String?
    var description: String { ([name] + options + arguments).joined(separator: " ") }

    static let directory = Repository.guestPrograms.appendingPathComponent("hostile")

    static func all() -> [HostileRow] {
        let path = directory.appendingPathComponent("programs.tsv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        func field(_ s: Substring) -> String? { s == "-" ? nil : String(s) }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count == 6, let status = Int32(f[3]) else { return nil }
            return HostileRow(
                name: String(f[0]), options: field(f[1])?.split(separator: " ").map(String.init) ?? [],
                arguments: field(f[2])?.split(separator: " ").map(String.init) ?? [], status: status,
                stderr: field(f[4]), stdout: field(f[5]))
        }
    }
}

/// Every hostile guest under both engines, through the rvjit executable: each ends with a
/// guest-visible error, a guest fault or a clean stop with a clear message, and never with
/// rvjit's own failure.
@Suite struct HostileGuestTests {
    @Test func theManifestIsRead() {
        #expect(HostileRow.all().count >= 14)
    }

    @Test(arguments: HostileRow.all(), ["jit", "interp"])
    func endsAsExpected(_ row: HostileRow, _ engine: String) throws {
        let rvjit = try #require(rvjitExecutable, "the rvjit executable is not built beside the test bundle (swift build builds it)")
        let fixture = try SandboxFixture()
        let elf = HostileRow.directory.appendingPathComponent("bin/\(row.name).elf").path
        let run = try spawn(rvjit, ["run", "--engine", engine] + fixture.substitute(row.options) + [elf] + fixture.substitute(row.arguments))
        #expect(run.status == row.status, "stderr: \(run.err)")
        #expect(!run.err.contains("internal error"))
        if let e = row.stderr { #expect(run.err.contains(e), "stderr: \(run.err)") } else { #expect(run.err.isEmpty) }
        if let o = row.stdout { #expect(run.out.contains(o), "stdout: \(run.out)") }
    }
}
