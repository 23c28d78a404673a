import RISCV
import RVJIT
import Testing

/// Each pass on IR text in → IR text out. The differential tests hold that passes keep
/// meaning; these hold that each does its own job.
@Suite struct PassTests {
    func run(_ pass: IRPass, _ input: String) throws -> String {
        pass.run(try IRText.parse(input)).description
    }

    @Test func textFormRoundTrips() throws {
        let text = """
            [0] x5 = 0x12345000
            [1] x5 = add x5, 1656
            [2] x6 = lw x2, 8
            [3] sw x5, x2, -4
            [4] x7 = slt x5, x6
            [5] br.ne x7, 0, 0x1080
            [5] jump 0x1018
            """
        #expect(try IRText.parse(text).description == text)
        let system = "[0] csr 0x300515f3\n[1] jalr x1, 0, link x1 = 0x1008\n[2] ecall"
        #expect(try IRText.parse(system).description == system)
        #expect(throws: IRText.ParseError.self) { try IRText.parse("[0] x5 = frobnicate x1, x2") }
    }

    @Test func zeroRegisterFoldsReadsAndDropsWrites() throws {
        let out = try run(.zeroRegister, """
            [0] x0 = add x1, x2
            [1] x5 = add x0, 7
            [2] x0 = lw x2, 8
            [3] jalr x1, 0, link x0 = 0x100c
            """)
        #expect(out == """
            [1] x5 = add 0, 7
            [2] t31 = lw x2, 8
            [3] jalr x1, 0
            """)
    }

    @Test func constantPropagationFoldsThroughTheBlock() throws {
        let out = try run(.constantPropagation, """
            [0] x5 = 40
            [1] x6 = add x5, 2
            [2] x7 = sll x6, 4
            [3] x8 = lw x7, 0
            [4] x9 = add x8, x6
            [5] br.eq x6, 42, 0x2000
            [5] jump 0x1018
            """)
        #expect(out == """
            [0] x5 = 40
            [1] x6 = 42
            [2] x7 = 672
            [3] x8 = lw 672, 0
            [4] x9 = add x8, 42
            [5] jump 0x2000
            """)
    }

    @Test func constantPropagationDropsABranchThatCannotBeTaken() throws {
        let out = try run(.constantPropagation, "[0] x5 = 1\n[1] br.eq x5, 0, 0x2000\n[1] jump 0x1008")
        #expect(out == "[0] x5 = 1\n[1] jump 0x1008")
    }

    @Test func luiAddiBecomeOneConstant() throws {
        let lowered = try IRText.parse("[0] x5 = 0x12345000\n[1] x5 = add x5, 1656\n[2] jump 0x100c")
        let out = IRPass.fuseConstants.run(IRPass.constantPropagation.run(lowered)).description
        #expect(out == "[1] x5 = 0x12345678\n[2] jump 0x100c")
    }

    @Test func fuseConstantsKeepsWritesThatAnExitCouldObserve() throws {
        // The load may fault: x5's first value must be in place when it does.
        let input = "[0] x5 = 1\n[1] x6 = lw x7, 0\n[2] x5 = 2\n[3] jump 0x1010"
        #expect(try run(.fuseConstants, input) == input)
        // A read in between keeps it too.
        let read = "[0] x5 = 1\n[1] x6 = add x5, 1\n[2] x5 = 2\n[3] jump 0x1010"
        #expect(try run(.fuseConstants, read) == read)
    }

    @Test func compareAndBranchFuse() throws {
        #expect(try run(.fuseCompareBranch, "[0] x5 = slt x6, x7\n[1] br.ne x5, 0, 0x2000\n[1] jump 0x1008")
            == "[0] x5 = slt x6, x7\n[1] br.lt x6, x7, 0x2000\n[1] jump 0x1008")
        #expect(try run(.fuseCompareBranch, "[0] x5 = sltu x6, x7\n[1] br.eq x5, 0, 0x2000\n[1] jump 0x1008")
            == "[0] x5 = sltu x6, x7\n[1] br.geu x6, x7, 0x2000\n[1] jump 0x1008")
        #expect(try run(.fuseCompareBranch, "[0] x5 = xor x6, x7\n[1] br.eq x5, 0, 0x2000\n[1] jump 0x1008")
            == "[0] x5 = xor x6, x7\n[1] br.eq x6, x7, 0x2000\n[1] jump 0x1008")
        // An input overwritten in between: no fusion.
        let clobbered = "[0] x5 = slt x6, x7\n[1] x6 = 0\n[2] br.ne x5, 0, 0x2000\n[2] jump 0x100c"
        #expect(try run(.fuseCompareBranch, clobbered) == clobbered)
    }

    @Test func deadTemporariesGoButLoadsStay() throws {
        let out = try run(.deadTemporaries, "[0] t1 = add x5, 1\n[1] t31 = lw x2, 0\n[2] t2 = add x6, 1\n[3] x7 = t2\n[4] jump 0x1010")
        #expect(out == "[1] t31 = lw x2, 0\n[2] t2 = add x6, 1\n[3] x7 = t2\n[4] jump 0x1010")
    }

    @Test func standardPipelineOnALoweredBlock() throws {
        // lui a5,0x11; addi a5,a5,168; lw a0,0(a5); addi x0,x0,0; bne a0,zero,...
        let decoded = DecodedBlock(
            pc: 0x10000,
            instructions: [Asm.u(.lui, 15, 0x11000), Asm.i(.addi, 15, 15, 168), Asm.i(.lw, 10, 15, 0), Asm.i(.addi, 0, 0, 0),
                           Asm.b(.bne, 10, 0, 16)],
            words: [0, 0, 0, 0, 0])
        let ir = Lowering.lower(decoded)
        #expect(ir.description == """
            [0] x15 = 0x11000
            [1] x15 = add x15, 168
            [2] x10 = lw x15, 0
            [3] x0 = add x0, 0
            [4] br.ne x10, x0, 0x10020
            [4] jump 0x10014
            """)
        #expect(PassPipeline.standard.run(ir).description == """
            [1] x15 = 0x110a8
            [2] x10 = lw 0x110a8, 0
            [4] br.ne x10, 0, 0x10020
            [4] jump 0x10014
            """)
    }
}
