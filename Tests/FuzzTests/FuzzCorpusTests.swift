import Foundation
import RVFuzz
import Testing
import TestSupport

/// Replays the fuzz targets' kept inputs (Tests/FuzzTests/corpus/TARGET/: seeds, and every input
/// that once failed, added once fixed), plus a few hundred seeded random inputs per target, so
/// what `.ci/fuzz` found stays fixed. A failure here is a crash or a trap, as under libFuzzer.
@Suite("Fuzz targets")
struct FuzzCorpusTests {
    static let corpus = Repository.root.appendingPathComponent("Tests/FuzzTests/corpus")

    @Test("Kept inputs replay without a crash or a disagreement", arguments: FuzzTarget.allCases)
    func corpus(_ target: FuzzTarget) throws {
        let dir = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(!files.isEmpty, "every target keeps at least a seed")
        for name in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            data.withUnsafeBytes { target.run($0) }
        }
    }

    @Test("Seeded random inputs", arguments: FuzzTarget.allCases)
    func random(_ target: FuzzTarget) {
        var g = SeededGenerator(seed: 0xf022 &+ UInt64(target.rawValue.count))
        for _ in 0..<(target == .syscalls ? 100 : 300) {
            let bytes = (0..<Int.random(in: 0...600, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            bytes.withUnsafeBytes { target.run($0) }
        }
    }
}
