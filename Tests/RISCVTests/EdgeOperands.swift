import RISCV

/// Instructions with edge operands for every table row (register zero, the widest immediates,
/// the aliases objdump knows), and their assembly text for the GNU assembler.
enum EdgeOperands {
    static let immediates: [Int32] = [-2048, -1, 0, 1, 255, 2047]
    static let branchOffsets: [Int32] = [-4096, -8, 0, 8, 4094]
    static let jumpOffsets: [Int32] = [-(1 << 20), -8, 0, 8, (1 << 20) - 2]
    static let csrs: [UInt16] = [0x300, 0x305, 0x341, 0x342, 0x7c0, 0xc00, 0xc01, 0xc02, 0xc80, 0xc81, 0xc82, 0xf14, 0x001, 0x002, 0x003, 0x3a0, 0xb03, 0xfff]
    /// fence's imm field (fm, pred, succ); pred or succ 0 and fm other than 0/8 cannot be written as `fence`.
    static let fences: [Int32] = [0x0ff, 0x033, 0x031, 0x084, 0x012, 0x833, 0x8ff, 0x000, 0x00f, 0x0f0, 0x4ff]

    static func instructions(_ spec: InstructionSpec) -> [Instruction] {
        let op = spec.opcode
        switch spec.format {
        case .r:
            let rdFixed = spec.mask & (0x1f << 7) != 0  // sfence.vma: rd is 0
            return [(0, 0, 0), (1, 2, 3), (31, 27, 17), (10, 0, 11), (10, 11, 0), (10, 10, 10)].map {
                Instruction(op, rd: rdFixed ? 0 : $0.0, rs1: $0.1, rs2: $0.2)
            }
        case .unary:
            return [(0, 0), (10, 11), (31, 1), (10, 0), (1, 31)].map { Instruction(op, rd: $0.0, rs1: $0.1) }
        case .i:
            return [(0, 0), (10, 0), (10, 11), (31, 31)].flatMap { regs in
                immediates.map { Instruction(op, rd: regs.0, rs1: regs.1, imm: $0) }
            }
        case .shift:
            return [(0, 0), (10, 11), (31, 1)].flatMap { regs in
                ([0, 1, 31] as [Int32]).map { Instruction(op, rd: regs.0, rs1: regs.1, imm: $0) }
            }
        case .load:
            return [(0, 0), (10, 2), (31, 31)].flatMap { regs in
                immediates.map { Instruction(op, rd: regs.0, rs1: regs.1, imm: $0) }
            }
        case .s:
            return [(0, 0), (10, 2), (31, 31)].flatMap { regs in
                immediates.map { Instruction(op, rs1: regs.1, rs2: regs.0, imm: $0) }
            }
        case .b:
            return [(10, 11), (10, 0), (0, 11), (0, 0)].flatMap { regs in
                branchOffsets.map { Instruction(op, rs1: regs.0, rs2: regs.1, imm: $0) }
            }
        case .u:
            return [0, 10, 31].flatMap { rd in
                ([0, 0x1000, 0x7fff_f000, Int32(bitPattern: 0x8000_0000), -4096] as [Int32]).map {
                    Instruction(op, rd: rd, imm: $0)
                }
            }
        case .j:
            return [0, 1, 5].flatMap { rd in jumpOffsets.map { Instruction(op, rd: rd, imm: $0) } }
        case .jalr:
            return [(0, 1, 0), (0, 10, 0), (0, 10, -2048), (1, 10, 0), (1, 10, 2047), (5, 10, 4), (0, 1, 4), (1, 1, 0), (0, 0, 0), (5, 0, -1)]
                .map { Instruction(op, rd: $0.0, rs1: $0.1, imm: $0.2) }
        case .fence:
            return fences.map { Instruction(op, imm: $0) } + [Instruction(op, rd: 5, rs1: 0, imm: 0x0ff), Instruction(op, rd: 0, rs1: 6, imm: 0x033)]
        case .csr:
            return csrs.flatMap { csr in
                [(10, 11), (0, 11), (10, 0), (0, 0)].map { Instruction(op, rd: $0.0, rs1: $0.1, csr: csr) }
            }
        case .csri:
            return csrs.flatMap { csr in
                [(10, 0), (10, 31), (0, 1), (0, 0)].map { Instruction(op, rd: $0.0, rs1: $0.1, csr: csr) }
            }
        case .noOperands:
            return [Instruction(op)]
        case .amo:
            return [(10, 11, 12, 0), (0, 1, 2, 1), (31, 31, 31, 2), (5, 6, 0, 3)].map {
                Instruction(op, rd: $0.0, rs1: $0.1, rs2: $0.2, imm: $0.3)
            }
        case .lr:
            return [(10, 11, 0), (0, 1, 1), (31, 31, 2), (5, 0, 3)].map { Instruction(op, rd: $0.0, rs1: $0.1, imm: $0.2) }
        case .floatLoad:
            return [(0, 0), (10, 2), (31, 31)].flatMap { regs in
                immediates.map { Instruction(op, rd: regs.0, rs1: regs.1, imm: $0) }
            }
        case .floatStore:
            return [(0, 0), (10, 2), (31, 31)].flatMap { regs in
                immediates.map { Instruction(op, rs1: regs.1, rs2: regs.0, imm: $0) }
            }
        case .floatR, .floatR4:
            // Every rounding mode the assembler can write (5 and 6 it cannot: see
            // DisassemblerFloatTests); equal sources for objdump's fmv/fneg/fabs.
            let modes: [UInt8] = spec.mask & 0x7000 != 0 || exactConversion(spec) ? [0] : [0, 1, 2, 3, 4, 7]
            let fixedRs2 = spec.mask & (0x1f << 20) != 0
            return [(0, 0, 0, 0), (10, 11, 12, 13), (31, 31, 31, 31), (10, 11, 11, 1), (1, 0, 5, 30)].flatMap { r in
                modes.map { Instruction(op, rd: r.0, rs1: r.1, rs2: fixedRs2 ? 0 : r.2, rs3: spec.format == .floatR4 ? r.3 : 0, rm: $0) }
            }
        }
    }

    /// `fcvt.d.w`, `fcvt.d.wu`, `fcvt.d.s`, `fcvt.s.h`, `fcvt.d.h`: exact, written without a
    /// rounding mode (rm = 0).
    static func exactConversion(_ spec: InstructionSpec) -> Bool {
        guard case .float(let op, let w) = spec.family else { return false }
        return op.isExact(at: w)
    }

    /// Text of an F/D computation: integer or float registers as the operation says, the
    /// rounding mode spelled out unless dynamic.
    static func floatAssembly(_ inst: Instruction, _ spec: InstructionSpec) -> String {
        guard case .float(let op, _) = spec.family else { return "" }
        let f = RegisterName.float, x = RegisterName.name
        var operands = [op.writesInteger ? x(inst.rd) : f(inst.rd), op.readsInteger ? x(inst.rs1) : f(inst.rs1)]
        if op.operandCount >= 2 { operands.append(f(inst.rs2)) }
        if op.operandCount >= 3 { operands.append(f(inst.rs3)) }
        if op.hasRoundingMode && !exactConversion(spec) && inst.rm != 7 {
            operands.append(["rne", "rtz", "rdn", "rup", "rmm"][Int(inst.rm)])
        }
        return "\(spec.mnemonic) " + operands.joined(separator: ",")
    }

    /// The instruction in the assembler's base syntax, or an `.insn` (which keeps it in a code
    /// region, where objdump decodes it) for encodings the assembler cannot write (fence with
    /// an empty set or a reserved fm, fence with rd/rs1 set).
    static func assembly(_ inst: Instruction) -> String {
        guard let spec = inst.spec, let word = encode(inst) else { return "" }
        let m = spec.mnemonic
        let rd = RegisterName.name(inst.rd), rs1 = RegisterName.name(inst.rs1), rs2 = RegisterName.name(inst.rs2)
        func relative(_ offset: Int32) -> String { offset < 0 ? ".-\(-offset)" : ".+\(offset)" }
        switch spec.format {
        case .r: return inst.opcode == .sfence_vma ? "\(m) \(rs1),\(rs2)" : "\(m) \(rd),\(rs1),\(rs2)"
        case .unary: return "\(m) \(rd),\(rs1)"
        case .i, .shift: return "\(m) \(rd),\(rs1),\(inst.imm)"
        case .load, .jalr: return "\(m) \(rd),\(inst.imm)(\(rs1))"
        case .s: return "\(m) \(rs2),\(inst.imm)(\(rs1))"
        case .b: return "\(m) \(rs1),\(rs2),\(relative(inst.imm))"
        case .u: return "\(m) \(rd),0x\(String(UInt32(bitPattern: inst.imm) >> 12, radix: 16))"
        case .j: return "\(m) \(rd),\(relative(inst.imm))"
        case .fence:
            let fm = (inst.imm >> 8) & 0xf, pred = (inst.imm >> 4) & 0xf, succ = inst.imm & 0xf
            if inst.rd == 0 && inst.rs1 == 0 && fm == 8 && pred == 3 && succ == 3 { return "fence.tso" }
            guard inst.rd == 0, inst.rs1 == 0, fm == 0, pred != 0, succ != 0 else { return ".insn 4, 0x" + String(word, radix: 16) }
            func set(_ bits: Int32) -> String {
                zip([8, 4, 2, 1] as [Int32], ["i", "o", "r", "w"]).filter { bits & $0.0 != 0 }.map(\.1).joined()
            }
            return "fence \(set(pred)),\(set(succ))"
        case .csr: return "\(m) \(rd),0x\(String(inst.csr, radix: 16)),\(rs1)"
        case .csri: return "\(m) \(rd),0x\(String(inst.csr, radix: 16)),\(inst.rs1)"
        case .noOperands: return m
        case .amo:
            let order = ["", ".rl", ".aq", ".aqrl"][Int(inst.imm & 3)]
            return "\(m)\(order) \(rd),\(rs2),(\(rs1))"
        case .lr: return "\(m)\([ "", ".rl", ".aq", ".aqrl"][Int(inst.imm & 3)]) \(rd),(\(rs1))"
        case .floatLoad: return "\(m) \(RegisterName.float(inst.rd)),\(inst.imm)(\(rs1))"
        case .floatStore: return "\(m) \(RegisterName.float(inst.rs2)),\(inst.imm)(\(rs1))"
        case .floatR, .floatR4: return floatAssembly(inst, spec)
        }
    }
}
