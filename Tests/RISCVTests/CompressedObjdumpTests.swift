import Foundation
import RISCV
import RVMachine
import Testing
import TestSupport

/// Every halfword whose low two bits are not 0b11 (49,152 of them), assembled with `.insn 2`
/// (which keeps them in a code region: `.2byte` would make them data), disassembled by objdump
/// and by us.
enum AllHalfwords {
    static let values: [UInt16] = (0...UInt16.max).filter { $0 & 3 != 3 }

    static var source: String {
        var s = "\t.option norelax\n\t.text\n\t.globl _start\n_start:\n"
        for h in values { s += "\t.insn 2, 0x\(String(h, radix: 16))\n" }
        return s
    }

    /// objdump's lines for the file built for `march`, in both syntaxes.
    static func objdump(march: String, in dir: ScratchDirectory) throws -> (elf: ELFFile, aliases: [ObjdumpLine], noAliases: [ObjdumpLine]) {
        let objdump = try #require(Toolchain.objdump)
        let path = try Toolchain.assemble(source, march: march, name: "halfwords-\(march)", in: dir)
        let elf = try ELFFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let aliases = ObjdumpLine.parse(try Toolchain.run(objdump, ["-d", path]).out)
        let noAliases = ObjdumpLine.parse(try Toolchain.run(objdump, ["-d", "-M", "no-aliases", path]).out)
        try #require(aliases.count == values.count && noAliases.count == values.count,
                     "objdump listed \(aliases.count) and \(noAliases.count) instructions for \(values.count) halfwords")
        return (elf, aliases, noAliases)
    }
}

@Suite(
    "Compressed instructions against objdump",
    .enabled(if: Toolchain.objdump != nil, "riscv64-unknown-elf-objdump is not installed (bash .ci/test installs it)"),
    .enabled(if: Toolchain.gcc != nil, "riscv64-unknown-elf-gcc is not installed (bash .ci/test installs it)"))
struct CompressedObjdumpTests {
    /// With F and D, with F alone (c.fld and friends are `.2byte`), without either (c.flw and
    /// friends are too), and without C (every halfword is).
    @Test("Every halfword, as objdump -d prints it, with and without aliases", arguments: ["rv32imafdc", "rv32imafc", "rv32imac", "rv32i"])
    func everyHalfword(_ march: String) throws {
        let dir = try ScratchDirectory("halfwords")
        let (elf, aliases, noAliases) = try AllHalfwords.objdump(march: march, in: dir)
        for (lines, alias) in [(aliases, true), (noAliases, false)] {
            let disassembler = elf.disassembler(aliases: alias)
            var mismatches: [String] = []
            for (line, half) in zip(lines, AllHalfwords.values) {
                #expect(line.length == 2 && line.word == UInt32(half))
                let ours = disassembler.text(word: line.word, pc: line.address)
                if ours != line.text {
                    mismatches.append("\(String(half, radix: 16)): objdump \"\(line.text)\"  ours \"\(ours)\"")
                }
            }
            if !mismatches.isEmpty {
                let shown = Array(mismatches.prefix(40)).joined(separator: "\n")
                Issue.record("\(march), aliases \(alias): \(mismatches.count) halfwords differ:\n\(shown)")
            }
        }
    }

    /// The expansions against objdump's reading of each halfword, through the 32-bit
    /// disassembler alone (not the compressed printer): a wrong immediate scramble, register
    /// field or opcode in `CompressedTable` shows here.
    @Test("Every legal halfword expands to the instruction objdump names")
    func expansions() throws {
        let dir = try ScratchDirectory("expansions")
        let (elf, aliases, noAliases) = try AllHalfwords.objdump(march: "rv32imafdc", in: dir)
        let thirtyTwoBit = elf.disassembler(aliases: true)
        var mismatches: [String] = []
        var checked = 0
        for ((alias, plain), half) in zip(zip(aliases, noAliases), AllHalfwords.values) {
            guard let row = CompressedTable.spec(half), let expanded = row.expand(half) else { continue }
            #expect(expanded.length == 2)
            // objdump's name for the compressed form is the row's (or, for a shift by 0, its
            // RV128 `…64` name).
            let name = String(plain.text.prefix { $0 != "\t" })
            if name != row.mnemonic && name != row.mnemonic + "64" {
                mismatches.append("\(String(half, radix: 16)): objdump \"\(plain.text)\", row \(row.mnemonic)")
            }
            // Where objdump names the 32-bit instruction, it is the expansion as the 32-bit
            // disassembler prints it, up to the two spellings objdump keeps for compressed
            // forms: `mv rd,rs` for add rd,zero,rs (c.mv) and `add rd,rd,0` for addi rd,rd,0
            // (c.addi by 0).
            guard !alias.text.hasPrefix("c.") else { continue }
            let ours = thirtyTwoBit.text(expanded, pc: alias.address)
            var theirs = alias.text
            let operands = theirs.split(separator: "\t").dropFirst().first.map { $0.split(separator: ",").map(String.init) } ?? []
            if theirs.hasPrefix("mv\t"), operands.count == 2 { theirs = "add\t\(operands[0]),zero,\(operands[1])" }
            if theirs.hasPrefix("add\t"), operands.count == 3, operands[2] == "0" { theirs = "mv\t\(operands[0]),\(operands[1])" }
            if ours != theirs {
                mismatches.append("\(String(half, radix: 16)): objdump \"\(alias.text)\", expansion \"\(ours)\"")
            }
            checked += 1
        }
        #expect(checked > 40_000)
        if !mismatches.isEmpty {
            let shown = Array(mismatches.prefix(40)).joined(separator: "\n")
            Issue.record("\(mismatches.count) expansions differ:\n\(shown)")
        }
    }
}
