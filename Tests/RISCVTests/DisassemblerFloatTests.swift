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
    ])
    func objdumpText(_ word: UInt32, _ text: String) {
        #expect(d.text(word: word, pc: 0) == text)
    }

    /// Without F in the ISA (an rv32i ELF), the F CSRs keep their names but lose the aliases.
    @Test func aliasesNeedF() {
        let rv32i = Disassembler(isa: [.i, .zicsr, .privileged])
        #expect(rv32i.text(word: 0x0030_22f3, pc: 0) == "csrr\tt0,fcsr")
    }
}
