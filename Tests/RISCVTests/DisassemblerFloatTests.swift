import RISCV
import Testing

/// What objdump 2.40 prints for F/D encodings the assembler cannot write (checked once by hand
/// with `.insn` words, since the edge-operand comparison needs assembly text): reserved rounding
/// modes as `unknown`, and the F CSR aliases.
@Suite struct DisassemblerFloatTests {
    let d = Disassembler()

    @Test(arguments: [
        (0x00c5_d553 as UInt32, "fadd.s\tfa0,fa1,fa2,unknown"),
        (0x00c5_e553, "fadd.s\tfa0,fa1,fa2,unknown"),
        (0x0205_d543, "fmadd.d\tfa0,fa1,ft0,ft0,unknown"),
        (0x0205_f543, "fmadd.d\tfa0,fa1,ft0,ft0"),
        (0x5805_f553, "fsqrt.s\tfa0,fa1"),
        (0x20b5_8553, "fmv.s\tfa0,fa1"),
        (0x20c5_8553, "fsgnj.s\tfa0,fa1,fa2"),
        (0xd205_8553, "fcvt.d.w\tfa0,a1"),
        (0x4205_8553, "fcvt.d.s\tfa0,fa1"),
        (0x0015_d073, "fsflagsi\tzero,11"),
        (0x0025_d573, "fsrmi\ta0,11"),
        (0x0035_d073, "csrw\tfcsr,11"),
        (0x0030_5573, "csrrw\ta0,fcsr,0"),
        (0x0020_9073, "fsrm\tra"),
        (0x0020_2073, "frrm\tzero"),
        (0x0030_22f3, "frcsr\tt0"),
        // Zfh: the widening conversions fcvt.s.h and fcvt.d.h are known only with rm = 0, the
        // narrowing ones print every rm.
        (0x4021_00d3, "fcvt.s.h\tft1,ft2"),
        (0x4021_10d3, ".4byte\t0x402110d3"),
        (0x4221_00d3, "fcvt.d.h\tft1,ft2"),
        (0x4221_70d3, ".4byte\t0x422170d3"),
        (0x4401_50d3, "fcvt.h.s\tft1,ft2,unknown"),
        (0x4411_70d3, "fcvt.h.d\tft1,ft2"),
        (0xd401_00d3, "fcvt.h.w\tft1,sp,rne"),
        (0x0431_60d3, "fadd.h\tft1,ft2,ft3,unknown"),
    ])
    func objdumpText(_ word: UInt32, _ text: String) {
        #expect(d.text(word: word, pc: 0) == text)
    }

    /// objdump decodes Zfhmin's instructions in an ELF whose ISA has Zfhmin but not Zfh, the
    /// conversions with double only with D, and Zfh's arithmetic not at all (checked by hand
    /// with `.insn` words assembled for rv32if_zfhmin and rv32ifd_zfhmin).
    @Test func zfhmin() {
        let f = Disassembler(isa: [.i, .f, .zfhmin, .zicsr, .privileged])
        let fd = Disassembler(isa: [.i, .f, .d, .zfhmin, .zicsr, .privileged])
        #expect(f.text(word: 0x4221_00d3, pc: 0) == ".4byte\t0x422100d3")
        #expect(fd.text(word: 0x4221_00d3, pc: 0) == "fcvt.d.h\tft1,ft2")
        #expect(f.text(word: 0x4411_00d3, pc: 0) == ".4byte\t0x441100d3")
        #expect(fd.text(word: 0x4411_00d3, pc: 0) == "fcvt.h.d\tft1,ft2,rne")
        for d in [f, fd] {
            #expect(d.text(word: 0x0431_00d3, pc: 0) == ".4byte\t0x43100d3")
            #expect(d.text(word: 0x4021_00d3, pc: 0) == "fcvt.s.h\tft1,ft2")
            #expect(d.text(word: 0xe401_00d3, pc: 0) == "fmv.x.h\tra,ft2")
            #expect(d.text(word: 0xf401_00d3, pc: 0) == "fmv.h.x\tft1,sp")
            #expect(d.text(word: 0x0021_1087, pc: 0) == "flh\tft1,2(sp)")
            #expect(d.text(word: 0x2c31_00d3, pc: 0) == ".4byte\t0x2c3100d3")
        }
    }

    /// Without F in the ISA (an rv32i ELF), the F CSRs keep their names but lose the aliases.
    @Test func aliasesNeedF() {
        let rv32i = Disassembler(isa: [.i, .zicsr, .privileged])
        #expect(rv32i.text(word: 0x0030_22f3, pc: 0) == "csrr\tt0,fcsr")
    }
}
