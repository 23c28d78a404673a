import RISCV
import TestSupport

/// Random but valid RV32IMAC (+ bit manipulation) programs, built with the encoder, that always terminate.
///
/// Register conventions keep the control structure intact whatever the random code does:
/// x28 holds computed call targets, x29 return addresses (and, in main code, the address of a
/// code patch), x30 loop counters and x31 the data area's base; random instructions write only
/// x0–x27. Control transfers are always 4-byte instructions; the random instructions between
/// them are compressed where a compressed form exists and the program's seed says so, so
/// every program mixes 2- and 4-byte instructions at 2-byte-aligned addresses.
struct RandomProgram: CustomStringConvertible {
    indirect enum Chunk {
        case straight([Instruction])
        /// `b<cond> rs1, rs2` over the skipped instructions.
        case forwardBranch(Opcode, UInt8, UInt8, [Instruction])
        /// `li x30, n; body; addi x30, x30, -1; bnez x30, body` — a bounded backward loop.
        case loop(Int32, [Chunk])
        case call(Int)
        case indirectCall(Int)
        /// Self-modifying code: stores the word of `replacement` over a slot a few instructions
        /// ahead (holding `original`), optionally with `fence.i`, then runs the slot.
        case patch(original: Instruction, replacement: Instruction, fence: Bool)
    }

    static let codeBase: UInt32 = 0x10000
    /// Where this program is assembled (tests that add a prologue move it).
    var codeBase: UInt32 = RandomProgram.codeBase
    static let dataBase: UInt32 = 0x2000_0000
    static let dataSize: UInt32 = 0x1000
    static let dataPointer: UInt32 = dataBase + 0x800

    var chunks: [Chunk]
    var functions: [[Instruction]]
    var seed: UInt64
    /// Use compressed encodings for the random instructions where they exist.
    var compressed = true
    /// Functions' instructions count their positions from here, apart from the main code's.
    static let functionPositions = 1_000_000

    /// Laid-out code: halfwords from `codeBase`, and where the main code's final `ebreak` is.
    struct Assembly {
        var halves: [UInt16]
        var ebreakOffset: Int

        /// The code as little-endian bytes.
        var bytes: [UInt8] { halves.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] } }
        /// The code as words (padded with a `c.nop` to a whole word).
        var words: [UInt32] {
            let h = halves.count % 2 == 0 ? halves : halves + [0x0001]
            return stride(from: 0, to: h.count, by: 2).map { UInt32(h[$0]) | UInt32(h[$0 + 1]) << 16 }
        }
    }

    /// The program laid out from `codeBase`: main code, `ebreak`, then the functions.
    func assemble() -> Assembly {
        // Control transfers are 4 bytes whatever their targets, so a first pass with dummy
        // function addresses measures the main code exactly.
        let measured = layout(functionAddresses: functions.map { _ in codeBase })
        var functionAddress: [UInt32] = []
        var at = codeBase + UInt32(measured.mainBytes)
        var position = RandomProgram.functionPositions
        for f in functions {
            functionAddress.append(at)
            for inst in f {
                at += UInt32(size(inst, position: position))
                position += 1
            }
            at += 4  // the return
        }
        return layout(functionAddresses: functionAddress).assembly
    }

    /// Whether the instruction at `position` (a count over the program) is written compressed.
    func compresses(_ inst: Instruction, position: Int) -> Bool {
        guard compressed, Compressor.shared.halfword(for: inst) != nil else { return false }
        var h = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(position) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        return h % 4 != 0
    }

    func size(_ inst: Instruction, position: Int) -> Int { compresses(inst, position: position) ? 2 : 4 }

    private func layout(functionAddresses: [UInt32]) -> (assembly: Assembly, mainBytes: Int) {
        var halves: [UInt16] = []
        var position = 0
        func pc() -> UInt32 { codeBase + UInt32(halves.count * 2) }
        /// A random instruction: compressed when it has a form and the seed says so.
        func emitRandom(_ i: Instruction, at p: Int) {
            if compresses(i, position: p), let h = Compressor.shared.halfword(for: i) {
                halves.append(h)
            } else {
                emit(i)
            }
        }
        func emit(_ i: Instruction) {
            let w = encode(i) ?? 0
            halves += [UInt16(w & 0xffff), UInt16(w >> 16)]
        }
        func random(_ insts: [Instruction]) {
            for i in insts {
                emitRandom(i, at: position)
                position += 1
            }
        }
        func place(_ chunk: Chunk) {
            switch chunk {
            case .straight(let insts): random(insts)
            case .forwardBranch(let op, let a, let b, let skipped):
                let branchAt = halves.count
                emit(Asm.b(op, a, b, 0))
                random(skipped)
                let offset = Int32((halves.count - branchAt) * 2)
                let w = encode(Asm.b(op, a, b, offset)) ?? 0
                halves[branchAt] = UInt16(w & 0xffff)
                halves[branchAt + 1] = UInt16(w >> 16)
            case .loop(let n, let body):
                emit(Asm.i(.addi, 30, 0, n))
                let top = pc()
                body.forEach(place)
                emit(Asm.i(.addi, 30, 30, -1))
                emit(Asm.b(.bne, 30, 0, Int32(bitPattern: top &- pc())))
            case .call(let f):
                emit(Asm.jal(29, Int32(bitPattern: functionAddresses[f] &- pc())))
            case .indirectCall(let f):
                let offset = functionAddresses[f] &- pc()
                let low = Int32(bitPattern: offset << 20) >> 20
                let high = Int32(bitPattern: offset &- UInt32(bitPattern: low))
                emit(Asm.u(.auipc, 28, high))
                emit(Asm.i(.addi, 28, 28, low))
                emit(Instruction(.jalr, rd: 29, rs1: 28, imm: 0))
            case .patch(let original, let replacement, let fence):
                // x28 = the replacement's word; x29 = here; store it over the slot; [fence.i]; slot.
                let word = encode(replacement) ?? 0
                let low = Int32(bitPattern: word << 20) >> 20
                emit(Asm.u(.lui, 28, Int32(bitPattern: word &- UInt32(bitPattern: low))))
                emit(Asm.i(.addi, 28, 28, low))
                emit(Asm.u(.auipc, 29, 0))
                emit(Asm.s(.sw, 28, fence ? 12 : 8, 29))
                if fence { emit(Instruction(.fence_i)) }
                emit(original)
            }
        }
        chunks.forEach(place)
        let ebreakOffset = halves.count * 2
        emit(Asm.ebreak)
        let mainBytes = halves.count * 2
        position = RandomProgram.functionPositions
        for f in functions {
            random(f)
            emit(Instruction(.jalr, rd: 0, rs1: 29, imm: 0))
        }
        return (Assembly(halves: halves, ebreakOffset: ebreakOffset), mainBytes)
    }

    var description: String {
        let d = Disassembler(aliases: false)
        let code = assemble().halves
        var lines: [String] = []
        var k = 0
        while k < code.count {
            let pc = codeBase + UInt32(k * 2)
            let word = UInt32(code[k]) | (k + 1 < code.count ? UInt32(code[k + 1]) << 16 : 0)
            lines.append("  \(String(pc, radix: 16)): \(d.text(word: word, pc: pc))")
            k += word & 3 == 3 ? 2 : 1
        }
        return lines.joined(separator: "\n")
    }

    /// Smaller variants for shrinking a failure: each drops one chunk or one function
    /// instruction, or writes every instruction uncompressed.
    func smaller() -> [RandomProgram] {
        var out: [RandomProgram] = []
        if compressed {
            var p = self
            p.compressed = false
            out.append(p)
        }
        for i in chunks.indices {
            var p = self
            p.chunks.remove(at: i)
            out.append(p)
            if case .loop(let n, let body) = chunks[i], n > 1 {
                var q = self
                q.chunks[i] = .loop(1, body)
                out.append(q)
            }
            if case .straight(let insts) = chunks[i], insts.count > 1 {
                for k in insts.indices {
                    var q = self
                    var shorter = insts
                    shorter.remove(at: k)
                    q.chunks[i] = .straight(shorter)
                    out.append(q)
                }
            }
        }
        for f in functions.indices where !functions[f].isEmpty {
            for k in functions[f].indices {
                var p = self
                p.functions[f].remove(at: k)
                out.append(p)
            }
        }
        return out
    }
}

struct ProgramGenerator {
    var rng: SeededGenerator
    let seed: UInt64
    /// Loads and stores now and then use a random base register (and fault). Off for runs
    /// compared with qemu, whose address-space layout differs from ours.
    var wildPointers = true
    /// Some chunks store into the code ahead of them (the code pages must be writable).
    var selfModifying = true
    /// Counter reads and `ecall`s (with whatever a7 holds): for machines without a system-call
    /// handler whose counters follow the instruction count, not for qemu.
    var environmentInstructions = true
    /// `lr.w`/`sc.w`. rvjit breaks a reservation on any store of the hart to the reserved word
    /// (the specification allows either); qemu's `sc.w` compares values instead, so runs
    /// compared with qemu leave them out (the AMOs stay).
    var reservations = true

    init(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func destination() -> UInt8 { chance(8) ? 0 : UInt8(int(1...27)) }
    mutating func source() -> UInt8 {
        switch int(0...9) {
        case 0: return 0
        case 1: return 31
        default: return UInt8(int(1...27))
        }
    }

    mutating func immediate() -> Int32 {
        switch int(0...5) {
        case 0: return [-2048, 2047, -1, 0, 1][int(0...4)]
        case 1: return Int32(int(0...31))
        default: return Int32(int(-2048...2047))
        }
    }

    /// Operands drawn towards the edges where M's results are special (division by zero,
    /// INT_MIN / -1) come from the registers the random code writes; x0 and x31 help too.
    static let registerOps: [Opcode] = InstructionTable.rows.compactMap {
        if case .aluRegister = $0.family { return $0.opcode } else { return nil }
    }
    /// Shift amounts (slli … rori, bclri …) and one-operand operations (clz, rev8, zext.h …).
    static let shiftOps = InstructionTable.rows.filter { $0.format == .shift }.map(\.opcode)
    static let unaryOps = InstructionTable.rows.filter { $0.format == .unary }.map(\.opcode)
    static let atomicOps: [Opcode] = InstructionTable.rows.compactMap {
        if case .atomic = $0.family { return $0.opcode } else { return nil }
    }
    /// Every F/D/Zfh computation row.
    static let floatRows: [InstructionSpec] = InstructionTable.rows.filter {
        if case .float = $0.family { return true } else { return false }
    }
    /// F, D and Zfh instructions: computation of every kind with random rounding modes (dynamic
    /// most often; now and then a reserved one, which is an illegal instruction), loads and
    /// stores on the data area, and `frm`/`fflags`/`fcsr` accesses (a reserved `frm` now and
    /// then, so that dynamic rounding traps).
    var floatingPoint = true
    /// Reserved rounding modes (static 5/6, `frm` ≥ 5): illegal instructions that end the run.
    var reservedRoundingModes = true

    mutating func floatInstruction() -> Instruction {
        switch int(0...19) {
        case 0...1:
            let op: Opcode = [.flw, .fld, .flh][int(0...2)]
            let base: UInt8 = wildPointers && chance(3) ? source() : 31
            return Asm.i(op, UInt8(int(0...31)), base, immediate())
        case 2:
            let op: Opcode = [.fsw, .fsd, .fsh][int(0...2)]
            let base: UInt8 = wildPointers && chance(3) ? source() : 31
            return Asm.s(op, UInt8(int(0...31)), immediate(), base)
        case 3:
            let csr = [CSR.fflags, CSR.frm, CSR.fcsr][int(0...2)]
            switch int(0...3) {
            case 0: return Asm.csr(.csrrs, destination(), csr, 0)
            case 1: return Asm.csr(.csrrwi, destination(), CSR.frm, UInt8(!reservedRoundingModes || chance(97) ? int(0...4) : int(5...7)))
            case 2: return Asm.csr(.csrrci, destination(), CSR.fflags, UInt8(int(0...31)))
            default: return reservedRoundingModes ? Asm.csr(.csrrw, destination(), csr, source()) : Asm.csr(.csrrs, destination(), csr, 0)
            }
        default:
            let spec = Self.floatRows[int(0...(Self.floatRows.count - 1))]
            guard case .float(let op, _) = spec.family else { return Asm.i(.addi, 0, 0, 0) }
            let rm: UInt8 = spec.mask & 0x7000 != 0 ? 0
                : reservedRoundingModes && chance(1) ? UInt8(int(5...6)) : [0, 1, 2, 3, 4, 7, 7, 7][int(0...7)]
            let rd = op.writesInteger ? destination() : UInt8(int(0...31))
            let rs1 = op.readsInteger ? source() : UInt8(int(0...31))
            let rs2 = spec.mask & (0x1f << 20) != 0 ? 0 : UInt8(int(0...31))
            return Instruction(spec.opcode, rd: rd, rs1: rs1, rs2: rs2, rs3: spec.format == .floatR4 ? UInt8(int(0...31)) : 0, rm: rm)
        }
    }
    /// The user-level counters a Linux guest may read (deterministic machines make them agree).
    static let counters: [UInt16] = [CSR.cycle, CSR.time, CSR.instret, CSR.cycleh, CSR.timeh, CSR.instreth]

    mutating func instruction() -> Instruction {
        let rd = destination()
        if floatingPoint && chance(15) { return floatInstruction() }
        switch int(0...15) {
        case 0...3:
            let ops = Self.registerOps
            return Asm.r(ops[int(0...(ops.count - 1))], rd, source(), source())
        case 14:
            // lr/sc/amo on the data area (word-aligned), or now and then a wild (faulting) base.
            let ops = reservations ? Self.atomicOps : Self.atomicOps.filter { $0 != .lr_w && $0 != .sc_w }
            let op = ops[int(0...(ops.count - 1))]
            let base: UInt8 = wildPointers && chance(5) ? source() : 31
            return Instruction(op, rd: rd, rs1: base, rs2: op == .lr_w ? 0 : source(), imm: Int32(int(0...3)))
        case 15:
            switch environmentInstructions ? int(0...3) : 2 {
            case 0: return Asm.csr(.csrrs, rd, Self.counters[int(0...5)], 0)
            case 1: return Asm.ecall  // no handler in these machines: a0 = -ENOSYS
            case 2: return Instruction(.fence_i)
            default: return Asm.i(.addi, rd, source(), immediate())
            }
        case 4...6:
            let ops: [Opcode] = [.addi, .slti, .sltiu, .xori, .ori, .andi]
            return Asm.i(ops[int(0...5)], rd, source(), immediate())
        case 7:
            if chance(30) { return Instruction(Self.unaryOps[int(0...(Self.unaryOps.count - 1))], rd: rd, rs1: source()) }
            return Asm.i(Self.shiftOps[int(0...(Self.shiftOps.count - 1))], rd, source(), Int32(int(0...31)))
        case 8:
            return Asm.u(chance(50) ? .lui : .auipc, rd, Int32(truncatingIfNeeded: UInt32.random(in: 0...UInt32.max, using: &rng) & 0xffff_f000))
        case 9...10:
            let ops: [Opcode] = [.lb, .lh, .lw, .lbu, .lhu]
            // Mostly inside the data area (misaligned too); now and then a wild base that faults.
            let base: UInt8 = wildPointers && chance(3) ? source() : 31
            return Asm.i(ops[int(0...4)], rd, base, immediate())
        case 11...12:
            let ops: [Opcode] = [.sb, .sh, .sw]
            let base: UInt8 = wildPointers && chance(3) ? source() : 31
            return Asm.s(ops[int(0...2)], source(), immediate(), base)
        default:
            return chance(80) ? Asm.i(.addi, rd, source(), immediate()) : Instruction(.fence, imm: 0xff)
        }
    }

    /// Often reshaped into a form RV32C has (rd = rs1, x8–x15, a 6-bit immediate), so that
    /// programs really mix 2- and 4-byte instructions.
    mutating func shapedInstruction() -> Instruction {
        var i = instruction()
        guard chance(45) else { return i }
        switch i.family {
        case .aluImmediate, .aluRegister:
            if chance(60) { i.rd = UInt8(int(8...15)) }
            if i.rd != 0 { i.rs1 = i.rd }
            if case .aluRegister = i.family { i.rs2 = UInt8(int(8...15)) }
            if i.spec?.format == .i { i.imm = Int32(int(-32...31)) }
        default: break
        }
        return i
    }

    mutating func straight(_ max: Int) -> [Instruction] { (0..<int(1...max)).map { _ in shapedInstruction() } }

    mutating func chunk(depth: Int, functions: Int) -> RandomProgram.Chunk {
        let branches: [Opcode] = [.beq, .bne, .blt, .bge, .bltu, .bgeu]
        if selfModifying && chance(4) {
            return .patch(original: Asm.i(.addi, destination(), source(), immediate()),
                          replacement: Asm.r(Self.registerOps[int(0...(Self.registerOps.count - 1))], destination(), source(), source()),
                          fence: chance(50))
        }
        switch int(0...9) {
        case 0...3: return .straight(straight(8))
        case 4...5: return .forwardBranch(branches[int(0...5)], source(), source(), straight(5))
        case 6...7 where depth == 0:
            return .loop(Int32(int(1...12)), (0..<int(1...3)).map { _ in chunk(depth: 1, functions: functions) })
        case 8 where functions > 0: return .call(int(0...(functions - 1)))
        case 9 where functions > 0: return .indirectCall(int(0...(functions - 1)))
        default: return .straight(straight(4))
        }
    }

    mutating func program() -> RandomProgram {
        let functionCount = int(0...3)
        let functions = (0..<functionCount).map { _ in straight(6) }
        let chunks = (0..<int(3...14)).map { _ in chunk(depth: 0, functions: functionCount) }
        return RandomProgram(chunks: chunks, functions: functions, seed: seed)
    }
}
