import Foundation
import RISCV
import RVMachine
import Testing
import TestSupport

/// Zba, Zbb, Zbc, Zbs, Zbkb and Zbkx: `ALUOp.apply` on edge values worked out by hand from the
/// bit-manipulation specification's pseudo-code, the "any of" extension rule for the rows Zbb
/// and Zbkb share, `--isa` names, and objdump's view of ELFs that declare only some of them.
@Suite("Bit manipulation")
struct BitManipulationTests {
    /// (operation, rs1, rs2 or immediate, expected rd).
    static let cases: [(ALUOp, UInt32, UInt32, UInt32)] = [
        // Zba: (rs1 << n) + rs2, wrapping.
        (.sh1add, 0x8000_0001, 1, 3), (.sh1add, 0, 0xffff_ffff, 0xffff_ffff),
        (.sh2add, 0x4000_0001, 0xffff_fffc, 0), (.sh2add, 1, 1, 5),
        (.sh3add, 0x2000_0000, 5, 5), (.sh3add, 1, 0xffff_fff8, 0),
        // Zbb logic with negate.
        (.andn, 0xff00_ff00, 0x0ff0_0ff0, 0xf000_f000), (.andn, 0xffff_ffff, 0xffff_ffff, 0),
        (.orn, 0, 0xffff_0000, 0x0000_ffff), (.orn, 0x1234_5678, 0xffff_ffff, 0x1234_5678),
        (.xnor, 0x1234_5678, 0x1234_5678, 0xffff_ffff), (.xnor, 0, 0xffff_ffff, 0),
        // Counting; the second operand is ignored.
        (.clz, 0, 0, 32), (.clz, 1, 0, 31), (.clz, 0x8000_0000, 0, 0), (.clz, 0x0001_0000, 7, 15),
        (.ctz, 0, 0, 32), (.ctz, 1, 0, 0), (.ctz, 0x8000_0000, 0, 31), (.ctz, 0x0001_0000, 7, 16),
        (.cpop, 0, 0, 0), (.cpop, 0xffff_ffff, 0, 32), (.cpop, 0x8000_0001, 0, 2), (.cpop, 0x1234_5678, 9, 13),
        // Signed and unsigned minimum and maximum.
        (.max, 0x8000_0000, 0x7fff_ffff, 0x7fff_ffff), (.max, 0xffff_ffff, 0, 0), (.max, 5, 5, 5),
        (.maxu, 0xffff_ffff, 0, 0xffff_ffff), (.maxu, 0x7fff_ffff, 0x8000_0000, 0x8000_0000),
        (.min, 0x8000_0000, 0x7fff_ffff, 0x8000_0000), (.min, 0xffff_ffff, 0, 0xffff_ffff),
        (.minu, 0xffff_ffff, 0, 0), (.minu, 0x7fff_ffff, 0x8000_0000, 0x7fff_ffff),
        // Extensions (zext.h is pack with 0).
        (.sextB, 0x80, 0, 0xffff_ff80), (.sextB, 0x1234_567f, 0, 0x7f), (.sextB, 0xffff_ff00, 0, 0),
        (.sextH, 0x8000, 0, 0xffff_8000), (.sextH, 0xffff_7fff, 0, 0x7fff),
        (.pack, 0xffff_8000, 0, 0x8000),
        // Rotations: amounts 0, 1, 31, and 32 or more (only the low five bits count).
        (.rol, 0x8000_0001, 0, 0x8000_0001), (.rol, 0x8000_0001, 1, 3), (.rol, 0x8000_0001, 31, 0xc000_0000),
        (.rol, 0x8000_0001, 33, 3), (.rol, 0x1234_5678, 4, 0x2345_6781),
        (.ror, 0x8000_0001, 0, 0x8000_0001), (.ror, 0x8000_0001, 1, 0xc000_0000), (.ror, 0x8000_0001, 31, 3),
        (.ror, 0x1234_5678, 4, 0x8123_4567), (.ror, 0x1234_5678, 36, 0x8123_4567),
        // Bytes.
        (.orcB, 0x0001_0080, 0, 0x00ff_00ff), (.orcB, 0, 0, 0), (.orcB, 0x0100_0000, 0, 0xff00_0000),
        (.rev8, 0x1234_5678, 0, 0x7856_3412), (.rev8, 0xff00_0000, 0, 0xff),
        // Carry-less products: all ones squared is every even power, 0x5555… in each half.
        (.clmul, 0xffff_ffff, 0xffff_ffff, 0x5555_5555), (.clmulh, 0xffff_ffff, 0xffff_ffff, 0x5555_5555),
        (.clmulr, 0xffff_ffff, 0xffff_ffff, 0xaaaa_aaaa),
        (.clmul, 3, 3, 5), (.clmul, 0x1234_5678, 1, 0x1234_5678), (.clmulh, 0x1234_5678, 1, 0),
        (.clmul, 0x8000_0000, 2, 0), (.clmulh, 0x8000_0000, 2, 1), (.clmulr, 0x8000_0000, 2, 2),
        (.clmulr, 0x8000_0000, 1, 1), (.clmul, 0, 0xffff_ffff, 0),
        // Single bits (index taken modulo 32).
        (.bclr, 0xffff_ffff, 31, 0x7fff_ffff), (.bclr, 0xffff_ffff, 63, 0x7fff_ffff), (.bclr, 1, 0, 0),
        (.bext, 0x8000_0000, 31, 1), (.bext, 0x8000_0000, 30, 0), (.bext, 1, 32, 1),
        (.binv, 0, 31, 0x8000_0000), (.binv, 0x8000_0000, 31, 0), (.binv, 0, 0, 1),
        (.bset, 0, 0, 1), (.bset, 0, 37, 0x20), (.bset, 0xffff_ffff, 5, 0xffff_ffff),
        // Zbkb.
        (.pack, 0x1234_abcd, 0x5678_ef01, 0xef01_abcd), (.packh, 0x1234_abcd, 0x5678_ef01, 0x01cd),
        (.packh, 0xffff_ffff, 0, 0xff),
        (.brev8, 0x0102_0380, 0, 0x8040_c001), (.brev8, 0x0000_000f, 0, 0xf0), (.brev8, 0xffff_ffff, 0, 0xffff_ffff),
        (.zip, 0x0000_ffff, 0, 0x5555_5555), (.zip, 0xffff_0000, 0, 0xaaaa_aaaa), (.zip, 0x0001_0001, 0, 3),
        (.unzip, 0x5555_5555, 0, 0x0000_ffff), (.unzip, 0xaaaa_aaaa, 0, 0xffff_0000), (.unzip, 3, 0, 0x0001_0001),
        // Zbkx: indices past the end of rs1 select 0.
        (.xperm8, 0x4433_2211, 0x0001_0203, 0x1122_3344), (.xperm8, 0x4433_2211, 0x04ff_0500, 0x11),
        (.xperm8, 0x4433_2211, 0, 0x1111_1111),
        (.xperm4, 0x7654_3210, 0x0123_4567, 0x0123_4567), (.xperm4, 0x7654_3210, 0x89ab_cdef, 0),
        (.xperm4, 0xfedc_ba98, 0x0000_0008, 0x8888_8880),
    ]

    @Test("apply on edge values", arguments: cases)
    func edgeValues(_ op: ALUOp, _ a: UInt32, _ b: UInt32, _ expected: UInt32) {
        #expect(op.apply(a, b) == expected, "\(op)(0x\(String(a, radix: 16)), 0x\(String(b, radix: 16)))")
    }

    @Test("Every bit-manipulation operation has edge cases here")
    func everyOperationCovered() {
        let covered = Set(Self.cases.map(\.0))
        for op in ALUOp.allCases where op.rawValue >= ALUOp.sh1add.rawValue {
            #expect(covered.contains(op), "\(op)")
        }
    }

    @Test("zip and unzip are each other's inverse; brev8 and rev8 undo themselves; clz is ctz of the reversed word; commutative ops commute")
    func identities() {
        var g = SeededGenerator(seed: 0xb17)
        for _ in 0..<10_000 {
            let a = UInt32(truncatingIfNeeded: g.next()), b = UInt32(truncatingIfNeeded: g.next())
            #expect(ALUOp.unzip.apply(ALUOp.zip.apply(a, 0), 0) == a)
            #expect(ALUOp.zip.apply(ALUOp.unzip.apply(a, 0), 0) == a)
            #expect(ALUOp.brev8.apply(ALUOp.brev8.apply(a, 0), 0) == a)
            #expect(ALUOp.rev8.apply(ALUOp.rev8.apply(a, 0), 0) == a)
            #expect(ALUOp.ror.apply(ALUOp.rol.apply(a, b), b) == a)
            #expect(ALUOp.clz.apply(a, b) == ALUOp.ctz.apply(ALUOp.rev8.apply(ALUOp.brev8.apply(a, 0), 0), 0))  // a, bit-reversed
            for op in ALUOp.allCases where op.isCommutative { #expect(op.apply(a, b) == op.apply(b, a), "\(op)") }
        }
    }

    /// Words: zext.h a0,a1 (= pack a0,a1,zero), pack a0,a1,a2, rev8 a0,a1, rol a0,a1,a2, clz a0,a1.
    static let zexth: UInt32 = 0x0805_c533, pack: UInt32 = 0x08c5_c533, rev8: UInt32 = 0x6985_d513
    static let rol: UInt32 = 0x60c5_9533, clz: UInt32 = 0x6005_9513

    @Test("Rows Zbb and Zbkb share decode under either; pack only under Zbkb; zext.h under either")
    func sharedRows() {
        let zbb: ISA = [.i, .zbb], zbkb: ISA = [.i, .zbkb], neither: ISA = [.i, .m, .zba, .zbc, .zbs, .zbkx]
        #expect(decode(Self.rev8, isa: zbb).opcode == .rev8)
        #expect(decode(Self.rev8, isa: zbkb).opcode == .rev8)
        #expect(decode(Self.rev8, isa: neither).opcode == .illegal)
        #expect(decode(Self.rol, isa: zbkb).opcode == .rol)
        #expect(decode(Self.zexth, isa: zbb).opcode == .zext_h)
        #expect(decode(Self.zexth, isa: zbkb).opcode == .zext_h)  // pack a0,a1,zero: the same operation
        #expect(decode(Self.zexth, isa: neither).opcode == .illegal)
        #expect(decode(Self.pack, isa: zbkb).opcode == .pack)
        #expect(decode(Self.pack, isa: zbb).opcode == .illegal)
        #expect(decode(Self.clz, isa: zbb).opcode == .clz)
        #expect(decode(Self.clz, isa: zbkb).opcode == .illegal)
        #expect(decode(Self.clz, isa: .rv32i).opcode == .illegal)
        // The decoded zext.h and pack with x0 compute the same thing.
        let z = decode(Self.zexth, isa: zbkb)
        #expect(z.family == .aluImmediate(.pack) && z.imm == 0 && z.rs2 == 0)
        // Rows naming one extension still need exactly it.
        #expect(InstructionTable.spec(.rev8)?.isa == [.zbb, .zbkb])
        #expect(InstructionTable.spec(.pack)?.isEnabled(in: zbb) == false)
        #expect(InstructionTable.spec(.sh1add)?.isEnabled(in: [.i, .zba]) == true)
    }

    @Test("--isa names the bit-manipulation extensions; B is Zba + Zbb + Zbs and sets misa bit 1")
    func isaStrings() throws {
        #expect(try ISA(parsing: "rv32imafdc_zfh_zba_zbb_zbc_zbs_zbkb_zbkx") == .implemented)
        #expect(try ISA(parsing: "rv32i_zbkb") == ISA.rv32i.union(.zbkb))
        #expect(try ISA(parsing: "rv32ib") == ISA.rv32i.union([.zba, .zbb, .zbs]))
        #expect(try ISA(parsing: "RV32IMAC_ZBA_ZBB_ZBS") == ISA(parsing: "rv32imacb"))
        #expect(throws: ISA.ParseError.notImplemented("rv32i_zbkc", "zbkc")) { try ISA(parsing: "rv32i_zbkc") }
        #expect(ISA.implemented.description == "rv32imafdcb_zfh_zbc_zbkb_zbkx")
        #expect(ISA.rv32i.union(.zbkb).description == "rv32i_zbkb")
        #expect(try ISA(parsing: ISA.implemented.description) == .implemented)
        #expect(ISA.implemented.misa == 0x4010_112f)
        #expect(ISA.rv32i.union([.zba, .zbb]).misa & 2 == 0)
        #expect(ISA.implemented.hwcap == 0x112d)  // Linux reports no B
    }

    @Test("The disassembler prints pack for zext.h's word when the ISA has Zbkb but not Zbb")
    func zexthWithoutZbb() {
        #expect(Disassembler(isa: [.i, .zbkb]).text(word: Self.zexth, pc: 0) == "pack\ta0,a1,zero")
        #expect(Disassembler(aliases: false, isa: [.i, .zbkb]).text(word: Self.zexth, pc: 0) == "pack\ta0,a1,zero")
        #expect(Disassembler(isa: [.i, .zbb]).text(word: Self.zexth, pc: 0) == "zext.h\ta0,a1")
        #expect(Disassembler(isa: [.i, .zbb]).text(word: Self.pack, pc: 0) == ".4byte\t0x8c5c533")  // as objdump prints an unknown word in code
        #expect(Disassembler(isa: [.i, .zbs]).text(word: 0x49f5_9513, pc: 0) == "bclr\ta0,a1,0x1f")
        #expect(Disassembler(aliases: false, isa: [.i, .zbs]).text(word: 0x49f5_9513, pc: 0) == "bclri\ta0,a1,0x1f")
    }

    /// Small ELFs whose ISA string names one of the two extensions: objdump decodes by it, and
    /// so must the disassembler that `ELFFile.disassembler` builds.
    @Test(
        "ELFs that declare only Zbb or only Zbkb disassemble as objdump prints them",
        .enabled(if: Toolchain.gcc != nil && Toolchain.objdump != nil, "riscv64-unknown-elf-gcc/objdump are not installed (bash .ci/test installs them)"),
        arguments: [
            ("rv32i_zbkb", "pack a0,a1,zero\n pack a0,a1,a2\n rev8 a0,a1\n rol a0,a1,a2\n rori a0,a1,31\n brev8 a0,a1\n zip a0,a1\n andn a0,a1,a2"),
            ("rv32i_zbb", "zext.h a0,a1\n rev8 a0,a1\n ror a0,a1,a2\n rori a0,a1,0\n clz a0,a1\n orc.b a0,a1\n max a0,a1,a2"),
            ("rv32i_zba_zbs", "sh1add a0,a1,a2\n bexti a0,a1,0\n bseti t6,zero,31\n binv a0,a1,a2"),
            ("rv32i_zbc_zbkx", "clmulr a0,a1,a2\n xperm4 a0,a1,a2\n xperm8 a0,a1,a2"),
        ])
    func declaredSubsets(_ march: String, _ body: String) throws {
        let gcc = try #require(Toolchain.gcc), objdump = try #require(Toolchain.objdump)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rvjit-bitmanip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("t.S").path, elf = dir.appendingPathComponent("t.elf").path
        try "\t.text\n\t.globl _start\n_start:\n \(body)\n".write(toFile: source, atomically: true, encoding: .utf8)
        let build = try Toolchain.run(gcc, ["-march=\(march)", "-mabi=ilp32", "-nostdlib", "-static", source, "-o", elf])
        try #require(build.status == 0, "gcc: \(build.err)")
        let count = try compareWithObjdump(elf, aliases: true, objdump: objdump)
        #expect(count == body.split(separator: "\n").count)
        try compareWithObjdump(elf, aliases: false, objdump: objdump)
        let declared = try #require(ELFFile(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: elf)))).declaredISA)
        #expect(declared.contains(march.contains("zbb") ? .zbb : .zbkb) || !march.contains("zbb") && !march.contains("zbkb"))
    }
}
