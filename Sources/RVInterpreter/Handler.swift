import RISCV

/// The interpreter's dispatch index: family and operation flattened into one small number,
/// chosen once when an instruction is decoded and kept in its decode-cache entry, so that
/// running a memoised instruction is one dense `switch` (one indirect jump) instead of a switch
/// over the family followed by one over its operation, two branches that mispredict on code
/// whose operations do not repeat (issue 9's regression, issue 14's SHA-256).
///
/// Only the common operations have their own case; every other instruction takes `.family`, the
/// complete switch over `Family` that handles every instruction. So the mapping below only ever
/// chooses a faster route to the same code: a family or operation it does not name still runs.
/// Each case's body calls the shared semantics with the operation fixed (`ALUOp.add.apply`),
/// as the closure tables do.
enum Handler: UInt8, CaseIterable {
    case lui, auipc, jal, jalr
    case beq, bne, blt, bge, bltu, bgeu
    case lb, lh, lw, lbu, lhu
    case sb, sh, sw
    case addi, slti, sltiu, xori, ori, andi, slli, srli, srai
    case add, sub, sll, slt, sltu, xor, srl, sra, or, and
    case mul, mulh, mulhu, div, divu, rem, remu
    /// Everything else, by the switch over the family.
    case family
    /// Not an instruction: the slot that ends a block of the unbounded run's `BlockCache` which
    /// falls through to the slot's pc. Decoding never chooses it.
    case blockEnd

    /// The route for an instruction of `family`: exhaustive, with no `default:`, so that a new
    /// family must be placed here (most go to `.family`).
    init(_ family: Family) {
        switch family {
        case .lui: self = .lui
        case .auipc: self = .auipc
        case .jal: self = .jal
        case .jalr: self = .jalr
        case .branch(let condition):
            switch condition {
            case .eq: self = .beq
            case .ne: self = .bne
            case .lt: self = .blt
            case .ge: self = .bge
            case .ltu: self = .bltu
            case .geu: self = .bgeu
            }
        case .load(let width):
            switch width {
            case .byte: self = .lb
            case .half: self = .lh
            case .word: self = .lw
            case .byteUnsigned: self = .lbu
            case .halfUnsigned: self = .lhu
            }
        case .store(let width):
            switch width {
            case .byte: self = .sb
            case .half: self = .sh
            case .word: self = .sw
            case .byteUnsigned, .halfUnsigned: self = .family  // no such instruction
            }
        case .aluImmediate(let op):
            switch op {
            case .add: self = .addi
            case .slt: self = .slti
            case .sltu: self = .sltiu
            case .xor: self = .xori
            case .or: self = .ori
            case .and: self = .andi
            case .sll: self = .slli
            case .srl: self = .srli
            case .sra: self = .srai
            default: self = .family  // the unary bit-manipulation operations
            }
        case .aluRegister(let op):
            switch op {
            case .add: self = .add
            case .sub: self = .sub
            case .sll: self = .sll
            case .slt: self = .slt
            case .sltu: self = .sltu
            case .xor: self = .xor
            case .srl: self = .srl
            case .sra: self = .sra
            case .or: self = .or
            case .and: self = .and
            case .mul: self = .mul
            case .mulh: self = .mulh
            case .mulhu: self = .mulhu
            case .div: self = .div
            case .divu: self = .divu
            case .rem: self = .rem
            case .remu: self = .remu
            default: self = .family  // mulhsu and bit manipulation: rare in compiled code
            }
        case .fence, .fenceI, .ecall, .ebreak, .mret, .sret, .sfenceVMA, .wfi, .csr, .atomic, .floatLoad, .floatStore, .float, .illegal:
            self = .family
        }
    }

    /// Whether an instruction with this handler ends a basic block (`.family`: see the family).
    var endsBlock: Bool {
        switch self {
        case .jal, .jalr, .beq, .bne, .blt, .bge, .bltu, .bgeu: return true
        default: return false
        }
    }
}
