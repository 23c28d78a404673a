import Foundation
import RISCV
import Testing
import TestSupport

extension Toolchain {
    /// Runs a program, returning (status, stdout, stderr).
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// One instruction line of `objdump -d`: `   10074:\tfe010113          \tadd\tsp,sp,-32`, or
/// `   10078:\t4501                \tli\ta0,0` for a compressed instruction.
struct ObjdumpLine: Equatable, CustomStringConvertible {
    var address: UInt32
    /// The instruction's bits (the halfword of a compressed one).
    var word: UInt32
    /// 2 or 4: how many bytes the listing shows.
    var length: Int
    /// Mnemonic and operands separated by a tab, objdump's `# …` comment removed.
    var text: String

    var description: String { String(address, radix: 16) + ": " + String(word, radix: 16) + " " + text }

    /// Parses every instruction line of objdump's output; other lines (headers, symbols) are skipped.
    static func parse(_ output: String) -> [ObjdumpLine] {
        var lines: [ObjdumpLine] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let addressField = fields[0].trimmingCharacters(in: .whitespaces)
            guard addressField.hasSuffix(":"), let address = UInt32(addressField.dropLast(), radix: 16) else { continue }
            let wordField = fields[1].trimmingCharacters(in: .whitespaces)
            guard wordField.count == 8 || wordField.count == 4, let word = UInt32(wordField, radix: 16) else { continue }
            var text = String(fields[2])
            if let comment = text.range(of: " # ") { text = String(text[..<comment.lowerBound]) }
            while text.last == " " || text.last == "\t" { text.removeLast() }
            lines.append(ObjdumpLine(address: address, word: word, length: wordField.count / 2, text: text))
        }
        return lines
    }
}

extension Toolchain {
    /// Assembles `source` for `march` and links it at `textAddress` (high enough that jumps of
    /// -1 MiB stay above 0) into `name`.elf in `dir`; returns the ELF's path.
    static func assemble(_ source: String, march: String, name: String, in dir: ScratchDirectory, textAddress: String = "0x200000") throws -> String {
        let gcc = try #require(Toolchain.gcc)
        let asm = dir.path("\(name).S"), object = dir.path("\(name).o"), elf = dir.path("\(name).elf")
        try source.write(toFile: asm, atomically: true, encoding: .utf8)
        let flags = ["-march=\(march)", "-mabi=ilp32"]
        let assemble = try run(gcc, flags + ["-c", asm, "-o", object])
        try #require(assemble.status == 0, "assembler: \(assemble.err)")
        let link = try run(gcc, flags + ["-nostdlib", "-static", "-Wl,-Ttext=\(textAddress)", object, "-o", elf])
        try #require(link.status == 0, "linker: \(link.err)")
        return elf
    }
}
