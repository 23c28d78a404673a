import RISCV
import RVMachine

/// Guest instructions → IR, one small case per instruction form. Lowering is literal: it
/// writes `x0` like any register and reads it like any register; the `x0` pass (always run)
/// is the JIT's one place that knows `x0` is zero.
public enum Lowering {
    /// Lowers a decoded block.
    public static func lower(_ decoded: DecodedBlock) -> IRBlock {
        var ops: [IRInstruction] = []
        for (index, (inst, word)) in zip(decoded.instructions, decoded.words).enumerated() {
            let pc = decoded.pc &+ UInt32(index) &* 4
            var lowered = lower(inst, word: word, pc: pc)
            // A branch inside a superblock: its fall-through is simply the next instruction.
            if index < decoded.instructions.count - 1, lowered.count == 2, case .branch = lowered[0],
                case .jump(let t) = lowered[1], t == pc &+ 4
            {
                lowered.removeLast()
            }
            for op in lowered {
                ops.append(IRInstruction(op, index: index, pc: pc))
            }
        }
        // A block cut short by the length cap, a page boundary or a CSR write falls through.
        if !IRBlock.isTerminator(ops.last?.op) {
            let last = max(decoded.instructions.count - 1, 0)
            ops.append(IRInstruction(.jump(target: decoded.endPC), index: last, pc: decoded.pc &+ UInt32(last) &* 4))
        }
        return IRBlock(pc: decoded.pc, length: decoded.instructions.count, ops: ops)
    }

    static func lower(_ i: Instruction, word: UInt32, pc: UInt32) -> [IROp] {
        let rd = IRValue.reg(i.rd), rs1 = IRValue.reg(i.rs1), rs2 = IRValue.reg(i.rs2)
        let imm = IRValue.const(UInt32(bitPattern: i.imm))
        switch i.opcode {
        case .lui: return [.move(dst: rd, src: imm)]
        case .auipc: return [.move(dst: rd, src: .const(pc &+ UInt32(bitPattern: i.imm)))]
        case .jal:
            let target = ControlFlow.relative(pc, i.imm)
            // A misaligned target traps at the jal itself, before rd is written.
            guard ControlFlow.isAligned(target) else { return [.jumpIndirect(base: .const(target), offset: 0, link: rd, linkValue: pc &+ 4)] }
            return [.move(dst: rd, src: .const(pc &+ 4)), .jump(target: target)]
        case .jalr: return [.jumpIndirect(base: rs1, offset: i.imm, link: rd, linkValue: pc &+ 4)]
        case .beq, .bne, .blt, .bge, .bltu, .bgeu:
            // The semantic enums map every opcode of their group; `illegal` only keeps this total.
            guard let cond = BranchCondition(i.opcode) else { return [.system(.illegal, word: word)] }
            let target = ControlFlow.relative(pc, i.imm)
            // A misaligned target traps at the branch, only if taken: not taken leaves for pc + 4,
            // taken reaches the jump that raises the misaligned-fetch trap (mepc = the branch).
            guard ControlFlow.isAligned(target) else {
                return [.branch(cond.negated, rs1, rs2, target: pc &+ 4), .jumpIndirect(base: .const(target), offset: 0, link: nil, linkValue: pc &+ 4)]
            }
            return [.branch(cond, rs1, rs2, target: target), .jump(target: pc &+ 4)]
        case .lb, .lh, .lw, .lbu, .lhu:
            guard let w = MemoryWidth(i.opcode) else { return [.system(.illegal, word: word)] }
            return [.load(w, dst: rd, base: rs1, offset: i.imm)]
        case .sb, .sh, .sw:
            guard let w = MemoryWidth(i.opcode) else { return [.system(.illegal, word: word)] }
            return [.store(w, value: rs2, base: rs1, offset: i.imm)]
        case .addi, .slti, .sltiu, .xori, .ori, .andi, .slli, .srli, .srai:
            guard let op = ALUOp(i.opcode) else { return [.system(.illegal, word: word)] }
            return [.alu(op, dst: rd, rs1, imm)]
        case .add, .sub, .sll, .slt, .sltu, .xor, .srl, .sra, .or, .and:
            guard let op = ALUOp(i.opcode) else { return [.system(.illegal, word: word)] }
            return [.alu(op, dst: rd, rs1, rs2)]
        case .fence: return []
        case .fence_i: return [.system(.fenceI, word: word)]
        case .ecall: return [.system(.ecall, word: word)]
        case .ebreak: return [.system(.ebreak, word: word)]
        case .mret: return [.system(.mret, word: word)]
        case .wfi: return [.system(.wfi, word: word)]
        case .csrrw, .csrrs, .csrrc, .csrrwi, .csrrsi, .csrrci: return [.system(.csr(i), word: word)]
        case .illegal: return [.system(.illegal, word: word)]
        }
    }
}

extension IRBlock {
    /// Whether an operation ends a block (nothing after it runs).
    static func isTerminator(_ op: IROp?) -> Bool {
        switch op {
        case .jump?, .jumpIndirect?: return true
        case .system(let s, _)?:
            switch s {
            case .csr: return false
            default: return true
            }
        default: return false
        }
    }
}
