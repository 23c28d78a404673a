import Foundation
import RISCV
import RVMachine
import Testing
import TestSupport

/// Every guest program ELF in the repository: user-mode (both instruction-set builds, the
/// bit-manipulation test among them) and bare-metal.
let guestELFs: [String] = {
    ["bin", "bare/bin", "bin-rv32imac", "bin-rv32imafdc"].flatMap { dir -> [String] in
        let url = Repository.guestPrograms.appendingPathComponent(dir)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".elf") }.sorted().map { "\(dir)/\($0)" }
    }
}()

/// `count` bytes at a virtual address, read through the ELF's loadable segments.
func bytes(in elf: ELFFile, at address: UInt32, count: Int) -> [UInt8]? {
    for s in elf.segments where address >= s.vaddr && UInt64(address) + UInt64(count) <= UInt64(s.vaddr) + UInt64(s.fileSize) {
        let o = Int(s.offset + (address - s.vaddr))
        guard o + count <= elf.bytes.count else { return nil }
        return Array(elf.bytes[o..<(o + count)])
    }
    return nil
}

/// Disassembles `path` with objdump (with or without aliases) and with our disassembler given
/// the ELF's symbols, reading each line's bytes as the ELF's mapping symbols say (data, or
/// instructions of the region's ISA); records every line that differs. Returns the number of
/// lines compared.
@discardableResult
func compareWithObjdump(_ path: String, aliases: Bool, objdump: String) throws -> Int {
    let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    let run = try Toolchain.run(objdump, ["-d"] + (aliases ? [] : ["-M", "no-aliases"]) + [path])
    #expect(run.status == 0, "objdump failed: \(run.err)")
    let lines = ObjdumpLine.parse(run.out)
    #expect(!lines.isEmpty, "objdump printed no instructions for \(path)")
    var mismatches: [String] = []
    for line in lines {
        guard let b = bytes(in: elf, at: line.address, count: line.length),
            b.reversed().reduce(UInt32(0), { $0 << 8 | UInt32($1) }) == line.word
        else {
            mismatches.append("\(line): the ELF's segments hold other bytes there")
            continue
        }
        let ours: String
        if let disassembler = elf.disassembler(aliases: aliases, at: line.address) {
            ours = disassembler.text(word: line.word, pc: line.address)
        } else {
            ours = Disassembler.dataDirective(b)
        }
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

// When riscv64-unknown-elf-objdump (or gcc) is missing these tests fail and say so; `.ci/test`
// installs them.
@Suite("Disassembler against objdump")
struct ObjdumpTests {
    @Test("Every instruction of every guest program, as objdump -d prints it", arguments: guestELFs)
    func guestProgram(_ relativePath: String) throws {
        let objdump = try #require(Toolchain.objdump, Toolchain.objdumpMissing)
        let path = Repository.guestPrograms.appendingPathComponent(relativePath).path
        try compareWithObjdump(path, aliases: true, objdump: objdump)
        try compareWithObjdump(path, aliases: false, objdump: objdump)
    }

    @Test(
        "Every instruction of RV32IMAC builds of guest programs, as objdump -d prints it",
        arguments: GuestBuild.programs)
    func compressedGuestProgram(_ name: String) throws {
        let objdump = try #require(Toolchain.objdump, Toolchain.objdumpMissing)
        _ = try #require(Toolchain.gcc, Toolchain.gccMissing)
        let dir = try ScratchDirectory("imac-\(name)")
        let path = try GuestBuild.build(name, march: "rv32imac", in: dir)
        let compressed = ObjdumpLine.parse(try Toolchain.run(objdump, ["-d", path]).out).filter { $0.length == 2 }
        #expect(compressed.count > 100, "the rv32imac build has compressed instructions")
        try compareWithObjdump(path, aliases: true, objdump: objdump)
        try compareWithObjdump(path, aliases: false, objdump: objdump)
    }

    @Test("The guest programs exist")
    func guestProgramsPresent() {
        #expect(guestELFs.contains("bin/hello.elf"))
        #expect(guestELFs.count >= 20)
    }

    @Test(
        "Every table row with edge operands: the assembler's word is our encoding, and objdump's text is ours")
    func generatedProgram() throws {
        let objdump = try #require(Toolchain.objdump, Toolchain.objdumpMissing)
        _ = try #require(Toolchain.gcc, Toolchain.gccMissing)
        let instructions = InstructionTable.rows.flatMap(EdgeOperands.instructions)
        var source = "\t.file \"edges.S\"\n\t.option norelax\n\t.option norvc\n\t.text\n\t.globl _start\n_start:\n"
        for inst in instructions { source += "\t\(EdgeOperands.assembly(inst))\n" }
        // Words that are no instruction: in code (`.4byte`), and as data (`.word`).
        source += "\t.insn 4, 0xb\n\t.insn 4, 0xffffffeb\n\t.word 0\n\t.word 0xffffffff\n"

        // M, A, F, D and Zfh are in the table, so the file's ISA has them all.
        let dir = try ScratchDirectory("edges")
        let elfPath = try Toolchain.assemble(source, march: "rv32imafd_zicsr_zifencei_zfh_zba_zbb_zbc_zbs_zbkb_zbkx", name: "edges", in: dir)

        // The assembler's words, in order, are our encodings.
        let listing = ObjdumpLine.parse(try Toolchain.run(objdump, ["-d", "-M", "no-aliases", elfPath]).out)
        try #require(listing.count == instructions.count + 4)
        for (inst, line) in zip(instructions, listing) where encode(inst) != line.word {
            Issue.record("\(EdgeOperands.assembly(inst)): assembler 0x\(String(line.word, radix: 16)), encoder 0x\(String(encode(inst) ?? 0, radix: 16))")
        }
        let compared = try compareWithObjdump(elfPath, aliases: true, objdump: objdump)
        #expect(compared == instructions.count + 4)
        try compareWithObjdump(elfPath, aliases: false, objdump: objdump)
    }
}
