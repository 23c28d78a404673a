import RISCV
import TestSupport

/// Random but valid RV32I programs, built with the encoder, that always terminate.
///
/// Register conventions keep the control structure intact whatever the random code does:
/// x28 holds computed call targets, x29 return addresses, x30 loop counters and x31 the
/// data area's base; random instructions write only x0–x27.
struct RandomProgram: CustomStringConvertible {
    indirect enum Chunk {
        case straight([Instruction])
        /// `b<cond> rs1, rs2` over the skipped instructions.
        case forwardBranch(Opcode, UInt8, UInt8, [Instruction])
        /// `li x30, n; body; addi x30, x30, -1; bnez x30, body` — a bounded backward loop.
        case loop(Int32, [Chunk])
        case call(Int)
        case indirectCall(Int)
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

    /// The program as words, laid out from `codeBase`: main code, `ebreak`, then the functions.
    func assemble() -> [UInt32] {
        // Function addresses depend on the main code's length: lay out once to measure.
        let mainLength = chunks.reduce(0) { $0 + length($1) } + 1
        var functionAddress: [UInt32] = []
        var at = codeBase + UInt32(mainLength * 4)
        for f in functions {
            functionAddress.append(at)
            at += UInt32((f.count + 1) * 4)
        }
        var words: [UInt32] = []
        func emit(_ i: Instruction) { words.append(encode(i) ?? 0) }
        func pc() -> UInt32 { codeBase + UInt32(words.count * 4) }
        func place(_ chunk: Chunk) {
            switch chunk {
            case .straight(let insts): insts.forEach(emit)
            case .forwardBranch(let op, let a, let b, let skipped):
                emit(Asm.b(op, a, b, Int32((skipped.count + 1) * 4)))
                skipped.forEach(emit)
            case .loop(let n, let body):
                emit(Asm.i(.addi, 30, 0, n))
                let top = pc()
                body.forEach(place)
                emit(Asm.i(.addi, 30, 30, -1))
                emit(Asm.b(.bne, 30, 0, Int32(bitPattern: top &- pc())))
            case .call(let f):
                emit(Asm.jal(29, Int32(bitPattern: functionAddress[f] &- pc())))
            case .indirectCall(let f):
                let offset = functionAddress[f] &- pc()
                let low = Int32(bitPattern: offset << 20) >> 20
                let high = Int32(bitPattern: offset &- UInt32(bitPattern: low))
                emit(Asm.u(.auipc, 28, high))
                emit(Asm.i(.addi, 28, 28, low))
                emit(Instruction(.jalr, rd: 29, rs1: 28, imm: 0))
            }
        }
        chunks.forEach(place)
        emit(Asm.ebreak)
        for f in functions {
            f.forEach(emit)
            emit(Instruction(.jalr, rd: 0, rs1: 29, imm: 0))
        }
        return words
    }

    func length(_ chunk: Chunk) -> Int {
        switch chunk {
        case .straight(let i): return i.count
        case .forwardBranch(_, _, _, let s): return s.count + 1
        case .loop(_, let body): return body.reduce(0) { $0 + length($1) } + 3
        case .call: return 1
        case .indirectCall: return 3
        }
    }

    var description: String {
        let d = Disassembler(aliases: false)
        return assemble().enumerated().map { i, w in
            let pc = codeBase + UInt32(i * 4)
            return "  \(String(pc, radix: 16)): \(d.text(word: w, pc: pc))"
        }.joined(separator: "\n")
    }

    /// Smaller variants for shrinking a failure: each drops one chunk or one function instruction.
    func smaller() -> [RandomProgram] {
        var out: [RandomProgram] = []
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

    mutating func instruction() -> Instruction {
        let rd = destination()
        switch int(0...13) {
        case 0...3:
            let ops: [Opcode] = [.add, .sub, .sll, .slt, .sltu, .xor, .srl, .sra, .or, .and]
            return Asm.r(ops[int(0...9)], rd, source(), source())
        case 4...6:
            let ops: [Opcode] = [.addi, .slti, .sltiu, .xori, .ori, .andi]
            return Asm.i(ops[int(0...5)], rd, source(), immediate())
        case 7:
            let ops: [Opcode] = [.slli, .srli, .srai]
            return Asm.i(ops[int(0...2)], rd, source(), Int32(int(0...31)))
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

    mutating func straight(_ max: Int) -> [Instruction] { (0..<int(1...max)).map { _ in instruction() } }

    mutating func chunk(depth: Int, functions: Int) -> RandomProgram.Chunk {
        let branches: [Opcode] = [.beq, .bne, .blt, .bge, .bltu, .bgeu]
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
