import Foundation
import RVJIT

/// The x86-64 of a native-tier block for `--trace blocks`: disassembled by GNU objdump
/// (`objdump -D -b binary -mi386:x86-64`, binutils) when it is installed, as hex bytes otherwise.
enum MachineCodeListing {
    static func lines(_ code: NativeCode) -> [String] {
        objdump(code) ?? hex(code)
    }

    /// Sixteen bytes a line at their host addresses (no disassembler on this host).
    static func hex(_ code: NativeCode) -> [String] {
        stride(from: 0, to: code.bytes.count, by: 16).map { k in
            let row = code.bytes[k..<min(k + 16, code.bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
            return String(format: "%lx:  ", code.address + UInt(k)) + row
        }
    }

    private static func objdump(_ code: NativeCode) -> [String]? {
        // A directory of its own per listing (runs in one process may list blocks concurrently),
        // removed with the file.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-x86-\(getpid())-\(UUID().uuidString)")
        guard (try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)) != nil else { return nil }
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("block-\(String(code.address, radix: 16)).bin")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(code.bytes)) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel",
                             "--adjust-vma=0x" + String(code.address, radix: 16), file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        // Instruction lines look like "  7f00:\t48 8b 43 10 \tmov rax,QWORD PTR [rbx+0x10]".
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, fields[0].hasSuffix(":") else { return nil }
            let address = fields[0].trimmingCharacters(in: .whitespaces)
            let text = fields[2...].joined(separator: " ").trimmingCharacters(in: .whitespaces)
            return address.padding(toLength: 14, withPad: " ", startingAt: 0) + text
        }
        return lines.isEmpty ? nil : lines
    }
}
