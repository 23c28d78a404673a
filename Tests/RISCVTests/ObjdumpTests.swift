import Foundation
import RISCV
import RVMachine
import Testing
import TestSupport

/// Every guest program ELF in the repository (user-mode and, when present, bare-metal).
let guestELFs: [String] = {
    ["bin", "bin-rv32imafdc", "bare/bin"].flatMap { dir -> [String] in
        let url = Repository.guestPrograms.appendingPathComponent(dir)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".elf") }.sorted().map { "\(dir)/\($0)" }
    }
}()

/// The instruction word at a virtual address, read through the ELF's loadable segments.
func word(in elf: ELFFile, at address: UInt32) -> UInt32? {
    for s in elf.segments where address >= s.vaddr && UInt64(address) + 4 <= UInt64(s.vaddr) + UInt64(s.fileSize) {
        let o = Int(s.offset + (address - s.vaddr))
        return UInt32(elf.bytes[o]) | UInt32(elf.bytes[o + 1]) << 8 | UInt32(elf.bytes[o + 2]) << 16 | UInt32(elf.bytes[o + 3]) << 24
    }
    return nil
}

/// Disassembles `path` with objdump (with or without aliases) and with our disassembler given
/// the ELF's symbols; records every line that differs. Returns the number of lines compared.
@discardableResult
func compareWithObjdump(_ path: String, aliases: Bool, objdump: String) throws -> Int {
    let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    let disassembler = elf.disassembler(aliases: aliases)
    let run = try Toolchain.run(objdump, ["-d"] + (aliases ? [] : ["-M", "no-aliases"]) + [path])
    #expect(run.status == 0, "objdump failed: \(run.err)")
    let lines = ObjdumpLine.parse(run.out)
    #expect(!lines.isEmpty, "objdump printed no instructions for \(path)")
    var mismatches: [String] = []
    for line in lines {
        guard let w = word(in: elf, at: line.address), w == line.word else {
            mismatches.append("\(line): the ELF's segments hold another word there")
            continue
        }
        let ours = disassembler.text(word: line.word, pc: line.address)
        if ours != line.text {
            mismatches.append("\(String(line.address, radix: 16)): \(String(line.word, radix: 16))  objdump \"\(line.text)\"  ours \"\(ours)\"")
        }
    }
    if !mismatches.isEmpty {
        let shown = Array(mismatches.prefix(25)).joined(separator: "\n")
        Issue.record("\(mismatches.count) of \(lines.count) lines differ (aliases: \(aliases)):\n\(shown)")
    }
    return lines.count
}

// When riscv64-unknown-elf-objdump is missing these tests show as skipped with this reason;
// `.ci/test` installs binutils so that they always run in CI.
@Suite(
    "Disassembler against objdump",
    .enabled(if: Toolchain.objdump != nil, "riscv64-unknown-elf-objdump is not installed (bash .ci/test installs it)"))
struct ObjdumpTests {
    @Test("Every instruction of every guest program, as objdump -d prints it", arguments: guestELFs)
    func guestProgram(_ relativePath: String) throws {
        let objdump = try #require(Toolchain.objdump)
        let path = Repository.guestPrograms.appendingPathComponent(relativePath).path
        try compareWithObjdump(path, aliases: true, objdump: objdump)
        try compareWithObjdump(path, aliases: false, objdump: objdump)
    }

    @Test("The guest programs exist", .enabled(if: true))
    func guestProgramsPresent() {
        #expect(guestELFs.contains("bin/hello.elf"))
        #expect(guestELFs.count >= 20)
    }

    @Test(
        "Every table row with edge operands: the assembler's word is our encoding, and objdump's text is ours",
        .enabled(if: Toolchain.gcc != nil, "riscv64-unknown-elf-gcc is not installed (bash .ci/test installs it)"))
    func generatedProgram() throws {
        let objdump = try #require(Toolchain.objdump)
        let gcc = try #require(Toolchain.gcc)
        let instructions = InstructionTable.rows.flatMap(EdgeOperands.instructions)
        var source = "\t.file \"edges.S\"\n\t.option norelax\n\t.option norvc\n\t.text\n\t.globl _start\n_start:\n"
        for inst in instructions { source += "\t\(EdgeOperands.assembly(inst))\n" }
        source += "\t.word 0\n\t.word 0xffffffff\n"  // illegal words: `.word` in both

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-edges-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let asm = dir.appendingPathComponent("edges.S").path
        let object = dir.appendingPathComponent("edges.o").path
        let elfPath = dir.appendingPathComponent("edges.elf").path
        try source.write(toFile: asm, atomically: true, encoding: .utf8)
        let flags = ["-march=rv32imafdc_zicsr_zifencei", "-mabi=ilp32"]
        let assemble = try Toolchain.run(gcc, flags + ["-c", asm, "-o", object])
        try #require(assemble.status == 0, "assembler: \(assemble.err)")
        // Linked high enough that a jal of -1 MiB stays above address 0.
        let link = try Toolchain.run(gcc, flags + ["-nostdlib", "-static", "-Wl,-Ttext=0x200000", object, "-o", elfPath])
        try #require(link.status == 0, "linker: \(link.err)")

        // The assembler's words, in order, are our encodings.
        let listing = ObjdumpLine.parse(try Toolchain.run(objdump, ["-d", "-M", "no-aliases", elfPath]).out)
        try #require(listing.count == instructions.count + 2)
        for (inst, line) in zip(instructions, listing) where encode(inst) != line.word {
            Issue.record("\(EdgeOperands.assembly(inst)): assembler 0x\(String(line.word, radix: 16)), encoder 0x\(String(encode(inst) ?? 0, radix: 16))")
        }
        let compared = try compareWithObjdump(elfPath, aliases: true, objdump: objdump)
        #expect(compared == instructions.count + 2)
        try compareWithObjdump(elfPath, aliases: false, objdump: objdump)
    }
}
