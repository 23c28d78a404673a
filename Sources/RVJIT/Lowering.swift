import RISCV
import RVMachine

/// Guest instructions → IR, one small case per instruction form. Lowering is literal: it
/// writes `x0` like any register and reads it like any register; the `x0` pass (always run)
/// is the JIT's one place that knows `x0` is zero.
public enum Lowering {
    /// Lowers a decoded block.
    public static func lower(_ decoded: DecodedBlock) -> IRBlock {
        var ops: [IRInstruction] = []
        let pcs = decoded.pcs
        let count = decoded.instructions.count
        for (index, (inst, word)) in zip(decoded.instructions, decoded.words).enumerated() {
            let pc = pcs[index]
            var lowered = lower(inst, word: word, pc: pc, isa: decoded.isa)
            // A branch inside a superblock: its fall-through is simply the next instruction.
            if index < count - 1, lowered.count == 2, case .branch = lowered[0],
                case .jump(let t) = lowered[1], t == inst.next(pc)
            {
                lowered.removeLast()
            }
            for op in lowered {
                ops.append(IRInstruction(op, index: index, pc: pc))
            }
        }
        // A block cut short by the length cap, a page boundary or a CSR write falls through.
        let endPC = decoded.endPC
        if !IRBlock.isTerminator(ops.last?.op) {
            let last = max(count - 1, 0)
            ops.append(IRInstruction(.jump(target: endPC), index: last, pc: pcs.last ?? decoded.pc))
        }
        return IRBlock(pc: decoded.pc, length: count, ops: ops, pcs: pcs, endPC: endPC)
    }

    /// One instruction: a short case per family.
    static func lower(_ i: Instruction, word: UInt32, pc: UInt32, isa: ISA) -> [IROp] {
        let rd = IRValue.reg(i.rd), rs1 = IRValue.reg(i.rs1), rs2 = IRValue.reg(i.rs2)
        let imm = IRValue.const(UInt32(bitPattern: i.imm))
        let next = i.next(pc)
        switch i.family {
        case .lui: return [.move(dst: rd, src: imm)]
        case .auipc: return [.move(dst: rd, src: .const(pc &+ UInt32(bitPattern: i.imm)))]
        case .jal:
            let target = ControlFlow.relative(pc, i.imm)
            // A misaligned target traps at the jal itself, before rd is written.
            guard isa.isAligned(target) else { return [.jumpIndirect(base: .const(target), offset: 0, link: rd, linkValue: next)] }
            return [.move(dst: rd, src: .const(next)), .jump(target: target)]
        case .jalr: return [.jumpIndirect(base: rs1, offset: i.imm, link: rd, linkValue: next)]
        case .branch(let cond):
            let target = ControlFlow.relative(pc, i.imm)
            // A misaligned target traps at the branch, only if taken: not taken leaves for the
            // next instruction, taken reaches the jump that raises the misaligned-fetch trap.
            guard isa.isAligned(target) else {
                return [.branch(cond.negated, rs1, rs2, target: next), .jumpIndirect(base: .const(target), offset: 0, link: nil, linkValue: next)]
            }
            return [.branch(cond, rs1, rs2, target: target), .jump(target: next)]
        case .load(let w): return [.load(w, dst: rd, base: rs1, offset: i.imm)]
        case .store(let w): return [.store(w, value: rs2, base: rs1, offset: i.imm)]
        case .aluImmediate(let op): return [.alu(op, dst: rd, rs1, imm)]
        case .aluRegister(let op): return [.alu(op, dst: rd, rs1, rs2)]
        case .atomic(let op): return [.atomic(op, dst: rd, address: rs1, value: rs2)]
        case .fence: return []
        case .fenceI: return [.system(.fenceI, word: word)]
        case .ecall: return [.system(.ecall, word: word)]
        case .ebreak: return [.system(.ebreak, word: word)]
        case .mret: return [.system(.mret, word: word)]
        case .wfi: return [.system(.wfi, word: word)]
        case .sret: return [.system(.sret, word: word)]
        case .sfenceVMA: return [.system(.sfenceVMA(address: i.rs1, asid: i.rs2), word: word)]
        case .csr: return [.system(.csr(i), word: word)]
        case .floatLoad(let w): return [.floatLoad(w, dst: i.rd, base: rs1, offset: i.imm, word: word)]
        case .floatStore(let w): return [.floatStore(w, src: i.rs2, base: rs1, offset: i.imm, word: word)]
        case .float(let op, let w): return [.float(FloatOperation(i, op: op, width: w, word: word))]
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
