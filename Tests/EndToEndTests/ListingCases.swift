import Foundation
import RVJITCommands
import RVMachine
import Testing
import TestSupport

/// Hand-made programs for the corners of objdump's listing that compilers rarely reach.
struct ListingCase: Sendable, CustomStringConvertible {
    var description: String
    var march: String
    /// Linked with `-s`: no symbols, hence no mapping symbols (everything is code).
    var stripped: Bool
    var source: String

    static let all: [ListingCase] = [
        ListingCase(
            description: "compressed code: address notes (c.lui, c.addi, gp, tp), jumps, zero runs, an instruction cut by a symbol", march: "rv32imafdc", stripped: false,
            source: """
	.option norelax
	.text
	.globl _start
_start:
	c.lui a5,0x12
	c.addi a5,4
	lui a4,0x12
	c.addi a4,-4
	lui a3,0x13
	flw fa0,8(a3)
	lui a3,0x13
	fsd fa0,8(a3)
	lui a2,0x14
	c.lw a1,4(a2)
	addi a1,a2,4
	c.lui a2,0x1
	c.addi16sp sp,16
	.insn 2, 0x6105
	c.addi16sp sp,16
	c.addi sp,16
	c.lui s0,0x1
	c.addi4spn s0,sp,16
	addi a0,s0,4
	c.li a0,5
	c.addi gp,8
	c.addi tp,8
	auipc t0,0
	c.jr t0
	auipc t0,0
	jalr t0
	.insn 4, 0x00000013
	.byte 0x13, 0x00
mid:
	.byte 0x00, 0x00
	c.nop
	.2byte 0
	.option push
	.option norvc
	nop
	.option pop
	.insn 2, 0
	.insn 2, 0
after:
	c.nop
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0x4505
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
	.insn 2, 0
cross:
	.insn 4, 0x00000013
	.section .text.b,"ax",@progbits
	.insn 2, 0x4505
	.insn 2, 0x4505
bsym:
	.insn 2, 0x4505
"""),
        ListingCase(
            description: "sections that start without a symbol", march: "rv32imac", stripped: false,
            source: """
	.option norelax
	.text
	.globl _start
_start:
	c.nop
	.section .foo,"ax",@progbits
	.insn 2, 0x4505
	.insn 2, 0x4505
fsym:
	.insn 2, 0x4505
	.section .bar,"ax",@progbits
	.insn 2, 0x4505
	.insn 4, 0x00000013
	.section .baz,"ax",@progbits
	.insn 2, 0x4505
	.byte 0x13
"""),
        ListingCase(
            description: "mapping symbols: $x<isa> regions, data of 4, 2 and 1 bytes, code at odd addresses", march: "rv32imac", stripped: false,
            source: """
	.option norelax
	.text
	.globl _start
_start:
	mul a0,a0,a1
	c.li a0,1
	.option push
	.option arch, rv32i
	.insn 4, 0x02b50533
	.insn 2, 0x4505
	.insn 4, 0x00001073
	.option pop
	.insn 4, 0x02b50533
	.insn 2, 0x4505
	.option push
	.option arch, +zicsr
	.insn 4, 0x02b50533
	.option pop
	.word 0x02b50533
	.2byte 0x4505
	.byte 1
	.byte 2
	.byte 3
	.insn 2, 0x4505
	.byte 1
	.insn 2, 0x4505
	.byte 1,2,3,4,5,6,7
	.insn 4, 0x02b50533
"""),
        ListingCase(
            description: "no symbols at all: 6-, 8- and 10-byte encodings, zeros, a read past the section", march: "rv32imac", stripped: true,
            source: """
	.option norelax
	.text
	.globl _start
_start:
	addi a0,a0,1
	.word 0x0000001f
	.word 0x00000000
	.word 0x0000003f
	.word 0x0
	.word 0x0000007f
	.word 0x0
	.word 0x0
	.word 0x0
	.word 0x00000013
	.2byte 0x4505
	.2byte 0
	.word 0
	.2byte 0x0013
	.2byte 0x0000
	.word 0x00001073
	.byte 0x13
"""),
        ListingCase(
            description: "F loads and stores with notes, a region without C", march: "rv32imafdc", stripped: false,
            source: """
	.option norelax
	.option norvc
	.text
	.globl _start
_start:
	lui a3,0x13
	flw fa0,8(a3)
	lui a3,0x13
	fsd fa0,-8(a3)
	fld fa1,16(gp)
	lui a4,0x13
	amoadd.w a0,a1,(a4)
	lw a0,4(a4)
	lui a2,0x14
	.insn 2, 0x424c
"""),
        ListingCase(
            description: "the ends of sections: cut instructions, trailing zeros", march: "rv32imac", stripped: true,
            source: """
	.text
	.globl _start
_start:
	c.nop
	.section .tail1,"ax",@progbits
	.byte 0x13
	.section .tail2,"ax",@progbits
	.byte 0x13,0,0
	.section .tail3,"ax",@progbits
	.byte 0x01,0x45,0x13
	.section .tail4,"ax",@progbits
	.byte 0x13,0,0,0,0x13,0,0
	.section .tail5,"ax",@progbits
	.byte 0,0
	.section .tail6,"ax",@progbits
	.byte 0,0,0,0,0
	.section .tail7,"ax",@progbits
	.byte 0x01,0x45,0,0,0,0,0,0,0,0,0,0x01,0x45
	.section .tail8,"ax",@progbits
	.byte 0x01,0x45,0,0,0,0,0,0,0,0,0,0,0x01,0x45
	.section .tail9,"ax",@progbits
	.byte 0x3f,0,0,0,0,0
"""),
        ListingCase(
            description: "data cut by symbols", march: "rv32imac", stripped: false,
            source: """
	.text
	.globl _start
_start:
	c.nop
	.word 0x11223344
	.byte 1
lbl:
	.byte 2, 3, 4
	c.nop
	.byte 5, 6
lbl2:
	.byte 7, 8
	c.nop
	lui a0, 0x10
lbl3:
	c.nop
"""),
    ]
}

/// `Listing` against `objdump -d`, byte for byte, in both syntaxes.
func expectListingMatchesObjdump(_ path: String) throws {
    let file = try ELFFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    for aliases in [true, false] {
        let listing = Listing.disassemble(file, path: path, aliases: aliases)
        let objdump = try spawn(try #require(Toolchain.objdump), aliases ? ["-d", path] : ["-d", "-M", "no-aliases", path])
        #expect(objdump.status == 0)
        let ours = listing.split(separator: "\n", omittingEmptySubsequences: false)
        let theirs = objdump.out.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "aliases \(aliases), line \((firstDifference?.offset ?? 0) + 1): ours '\(firstDifference?.element.0 ?? "")', objdump '\(firstDifference?.element.1 ?? "")'")
        #expect(ours.count == theirs.count, "aliases \(aliases)")
    }
}

/// Assembles and links `source` into `dir`; returns the ELF's path.
func assemble(_ source: String, march: String, stripped: Bool, name: String, in dir: ScratchDirectory) throws -> String {
    let gcc = try #require(Toolchain.gcc)
    let asm = dir.path("\(name).S"), object = dir.path("\(name).o"), elf = dir.path("\(name).elf")
    try source.write(toFile: asm, atomically: true, encoding: .utf8)
    let flags = ["-march=\(march)", "-mabi=ilp32"]
    let compile = try spawn(gcc, flags + ["-c", asm, "-o", object])
    try #require(compile.status == 0, "assembler: \(compile.err)")
    let link = try spawn(gcc, flags + ["-nostdlib", "-static"] + (stripped ? ["-s"] : []) + [object, "-o", elf])
    try #require(link.status == 0, "linker: \(link.err)")
    return elf
}

@Suite(
    "rvjit disasm listings against objdump",
    .enabled(if: Toolchain.objdump != nil, "riscv64-unknown-elf-objdump is not installed (bash .ci/test installs it)"),
    .enabled(if: Toolchain.gcc != nil, "riscv64-unknown-elf-gcc is not installed (bash .ci/test installs it)"))
struct ListingTests {
    @Test("Hand-made corner cases, byte for byte", arguments: ListingCase.all)
    func corner(_ c: ListingCase) throws {
        let dir = try ScratchDirectory("listing")
        try expectListingMatchesObjdump(try assemble(c.source, march: c.march, stripped: c.stripped, name: "case", in: dir))
    }

    /// Compressed code as a compiler lays it out, until a committed RV32IMAC set exists (the
    /// CLI test covers guest-programs/bin-rv32imac once it does).
    @Test("RV32IMAC builds of guest programs, byte for byte", arguments: GuestBuild.programs)
    func compressedGuest(_ name: String) throws {
        let dir = try ScratchDirectory("listing-\(name)")
        try expectListingMatchesObjdump(try GuestBuild.build(name, march: "rv32imac", in: dir))
    }

    @Test("Every halfword, byte for byte")
    func everyHalfword() throws {
        var source = "\t.option norelax\n\t.text\n\t.globl _start\n_start:\n"
        for h in 0...UInt16.max where h & 3 != 3 { source += "\t.insn 2, 0x\(String(h, radix: 16))\n" }
        let dir = try ScratchDirectory("listing-halfwords")
        try expectListingMatchesObjdump(try assemble(source, march: "rv32imafdc", stripped: false, name: "halfwords", in: dir))
    }
}
