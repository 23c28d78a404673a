import Foundation

/// One guest program to benchmark: an ELF, its arguments, and (from a suite's manifest) the
/// standard output a correct run prints.
public struct BenchWorkload: Sendable, Equatable {
    public var name: String
    public var elf: String
    public var arguments: [String]
    /// The whole of a correct run's standard output, without the final newline; nil: the
    /// counted run's output is the reference.
    public var expectedStdout: String?

    public init(name: String, elf: String, arguments: [String] = [], expectedStdout: String? = nil) {
        self.name = name
        self.elf = elf
        self.arguments = arguments
        self.expectedStdout = expectedStdout
    }
}

/// A workload suite on disk (guest-programs/bench): a manifest `benchmarks.tsv` with a header
/// line and one row per workload (name, space-separated arguments, expected standard output,
/// tab-separated), and one directory of ELFs per build: `bin/` for rv32i, `bin-SET/` for the
/// others (`bin-rv32imac/`, `bin-rv32imafdc/`). A row named `NAME@SET` replaces `NAME`'s row
/// in that set only: a workload sized for one build (soft float runs far more instructions
/// than F/D, so each build of the float workloads gets the size that runs about a second).
public enum BenchSuite {
    public static let manifestName = "benchmarks.tsv"

    /// The manifest path for `path`: the file itself, or `benchmarks.tsv` in a directory.
    public static func manifest(at path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return (path as NSString).appendingPathComponent(manifestName)
        }
        return path
    }

    /// The directory holding a build's ELFs.
    public static func binaries(suite directory: String, set: String) -> String {
        (directory as NSString).appendingPathComponent(set == "rv32i" ? "bin" : "bin-\(set)")
    }

    /// Reads a suite: every row of its manifest, with the ELF of `set`.
    public static func load(_ path: String, set: String) throws -> [BenchWorkload] {
        let manifest = manifest(at: path)
        let bytes: [UInt8]
        do { bytes = try Runner.readFile(manifest) } catch { throw BenchError.manifest("--suite: \(error)") }
        let directory = (manifest as NSString).deletingLastPathComponent
        let bin = binaries(suite: directory, set: set)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: bin, isDirectory: &isDirectory), isDirectory.boolValue else {
            let sets = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .compactMap { $0 == "bin" ? "rv32i" : $0.hasPrefix("bin-") ? String($0.dropFirst(4)) : nil }.sorted()
            throw BenchError.manifest("--set \(set): no directory \(bin) (this suite has: \(sets.joined(separator: ", ")))")
        }
        var workloads: [BenchWorkload] = []
        var overrides: [String: (fields: [String], line: Int)] = [:]
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where index > 0 && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, !fields[0].isEmpty else {
                throw BenchError.manifest("\(manifest):\(index + 1): expected 3 tab-separated fields (name, args, stdout), found \(fields.count)")
            }
            let parts = fields[0].split(separator: "@", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else {
                throw BenchError.manifest("\(manifest):\(index + 1): a name is NAME or NAME@SET, not \"\(fields[0])\"")
            }
            if parts.count == 2 {
                if parts[1] == set { overrides[parts[0]] = ([parts[0], fields[1], fields[2]], index + 1) }
                continue
            }
            let elf = (bin as NSString).appendingPathComponent(fields[0] + ".elf")
            workloads.append(BenchWorkload(
                name: fields[0], elf: elf, arguments: fields[1].split(separator: " ").map(String.init),
                expectedStdout: fields[2]))
        }
        for (name, row) in overrides {
            guard let k = workloads.firstIndex(where: { $0.name == name }) else {
                throw BenchError.manifest("\(manifest):\(row.line): \(name)@\(set) sizes a workload that has no row \(name)")
            }
            workloads[k].arguments = row.fields[1].split(separator: " ").map(String.init)
            workloads[k].expectedStdout = row.fields[2]
        }
        guard !workloads.isEmpty else { throw BenchError.manifest("\(manifest): no workloads") }
        return workloads
    }
}
