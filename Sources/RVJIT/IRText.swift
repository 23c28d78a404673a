import Foundation
import RISCV

/// The textual form of the IR, used by traces and by the pass tests (text in, text out).
///
/// ```
/// [0] x5 = 0x12345000
/// [1] x5 = add x5, 1656
/// [2] x6 = lw x2, 8
/// [3] sw x5, x2, -4
/// [4] br.lt x5, x6, 0x10080
/// [4] jump 0x10014
/// ```
/// The number in brackets is the guest instruction the operation belongs to.
extension IROp: CustomStringConvertible {
    public var description: String {
        switch self {
        case .move(let d, let s): return "\(d) = \(s)"
        case .alu(let op, let d, let a, let b): return "\(d) = \(op.name) \(a), \(b)"
        case .load(let w, let d, let base, let off): return "\(d) = \(IRText.loadName(w)) \(base), \(off)"
        case .store(let w, let v, let base, let off): return "\(IRText.storeName(w)) \(v), \(base), \(off)"
        case .branch(let c, let a, let b, let t): return "br.\(c.name) \(a), \(b), \(IRText.hex(t))"
        case .jump(let t): return "jump \(IRText.hex(t))"
        case .jumpIndirect(let base, let off, let link, let value):
            let l = link.map { ", link \($0) = \(IRText.hex(value))" } ?? ""
            return "jalr \(base), \(off)\(l)"
        case .atomic(let op, let d, let address, let value): return "\(d) = \(op.name) \(address), \(value)"
        case .floatLoad(let w, let d, let base, let off, _): return "f\(d) = fl\(w == .single ? "w" : w.letter) \(base), \(off)"
        case .floatStore(let w, let s, let base, let off, _): return "fs\(w == .single ? "w" : w.letter) f\(s), \(base), \(off)"
        case .float(let f):
            let dst = f.intDestination?.description ?? "f\(f.fd)"
            let src = f.intSource?.description ?? "f\(f.fs1)"
            let rest = [src, "f\(f.fs2)", "f\(f.fs3)"].prefix(f.op.operandCount).joined(separator: ", ")
            let rm = f.op.hasRoundingMode ? " rm\(f.rm)" : ""
            return "\(dst) = \(f.op.name).\(f.width.letter) \(rest)\(rm)"
        case .system(let op, let word):
            switch op {
            case .ecall: return "ecall"
            case .ebreak: return "ebreak"
            case .mret: return "mret"
            case .wfi: return "wfi"
            case .sret: return "sret"
            case .sfenceVMA(let a, let b): return "sfence.vma x\(a), x\(b)"
            case .fenceI: return "fence.i"
            case .illegal: return "illegal \(IRText.hex(word))"
            case .csr: return "csr \(IRText.hex(word))"
            }
        }
    }
}

extension IRBlock: CustomStringConvertible {
    public var description: String {
        ops.map { "[\($0.index)] \($0.op)" }.joined(separator: "\n")
    }
}

public enum IRText {
    static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }

    static func loadName(_ w: MemoryWidth) -> String {
        switch w {
        case .byte: return "lb"
        case .half: return "lh"
        case .word: return "lw"
        case .byteUnsigned: return "lbu"
        case .halfUnsigned: return "lhu"
        }
    }

    static func storeName(_ w: MemoryWidth) -> String {
        switch w {
        case .byte, .byteUnsigned: return "sb"
        case .half, .halfUnsigned: return "sh"
        case .word: return "sw"
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: String
        public var description: String { "cannot parse IR line: \(line)" }
    }

    /// Parses the text form back into a block starting at `pc`; the inverse of `description`.
    public static func parse(_ text: String, pc: UInt32 = 0x1000) throws(ParseError) -> IRBlock {
        var ops: [IRInstruction] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]"),
                let index = Int(line[line.index(after: line.startIndex)..<close])
            else { throw ParseError(line: line) }
            let body = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            guard let op = parseOp(body) else { throw ParseError(line: line) }
            ops.append(IRInstruction(op, index: index, pc: pc &+ UInt32(index) &* UInt32(Instruction.uncompressedLength)))
        }
        let length = (ops.map(\.index).max() ?? -1) + 1
        return IRBlock(pc: pc, length: length, ops: ops)
    }

    static func value(_ s: Substring) -> IRValue? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("x"), let r = UInt8(t.dropFirst()), r < 32 { return .reg(r) }
        if t.hasPrefix("t"), let n = UInt8(t.dropFirst()), n < 32 { return .temp(n) }
        return number(t).map { .const(UInt32(bitPattern: $0)) }
    }

    static func number(_ t: String) -> Int32? {
        if t.hasPrefix("0x"), let v = UInt32(t.dropFirst(2), radix: 16) { return Int32(bitPattern: v) }
        if t.hasPrefix("-0x"), let v = UInt32(t.dropFirst(3), radix: 16) { return 0 &- Int32(bitPattern: v) }
        if let v = Int64(t), v >= Int64(Int32.min), v <= Int64(UInt32.max) { return Int32(truncatingIfNeeded: v) }
        return nil
    }

    static func parseOp(_ body: String) -> IROp? {
        let words = body.split(separator: " ", maxSplits: 1).map(String.init)
        guard let head = words.first else { return nil }
        let rest = words.count > 1 ? words[1] : ""
        let args = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        func target(_ i: Int) -> UInt32? { i < args.count ? number(args[i]).map { UInt32(bitPattern: $0) } : nil }

        switch head {
        case "ecall": return .system(.ecall, word: 0x73)
        case "ebreak": return .system(.ebreak, word: 0x0010_0073)
        case "mret": return .system(.mret, word: 0x3020_0073)
        case "wfi": return .system(.wfi, word: 0x1050_0073)
        case "sret": return .system(.sret, word: 0x1020_0073)
        case "fence.i": return .system(.fenceI, word: 0x100f)
        case "illegal": return target(0).map { .system(.illegal, word: $0) }
        case "csr":
            guard let w = target(0) else { return nil }
            let inst = decode(w)
            guard case .csr = inst.family else { return nil }
            return .system(.csr(inst), word: w)
        case "jump": return target(0).map { .jump(target: $0) }
        case "jalr":
            guard args.count >= 2, let base = value(Substring(args[0])), let off = number(args[1]) else { return nil }
            if args.count == 3 {
                // "link x1 = 0x1008c"
                let parts = args[2].split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0].hasPrefix("link "), let l = value(parts[0].dropFirst(5)),
                    let v = number(parts[1])
                else { return nil }
                return .jumpIndirect(base: base, offset: off, link: l, linkValue: UInt32(bitPattern: v))
            }
            return .jumpIndirect(base: base, offset: off, link: nil, linkValue: 0)
        default: break
        }
        if head.hasPrefix("br.") {
            guard let c = BranchCondition.allCases.first(where: { $0.name == head.dropFirst(3) }), args.count == 3,
                let a = value(Substring(args[0])), let b = value(Substring(args[1])), let t = target(2)
            else { return nil }
            return .branch(c, a, b, target: t)
        }
        if let w = [MemoryWidth.byte, .half, .word].first(where: { storeName($0) == head }) {
            guard args.count == 3, let v = value(Substring(args[0])), let base = value(Substring(args[1])),
                let off = number(args[2])
            else { return nil }
            return .store(w, value: v, base: base, offset: off)
        }
        // "d = ..." forms
        let sides = body.split(separator: "=", maxSplits: 1)
        guard sides.count == 2, let dst = value(sides[0]) else { return nil }
        let rhs = sides[1].trimmingCharacters(in: .whitespaces)
        let rhsWords = rhs.split(separator: " ", maxSplits: 1).map(String.init)
        if rhsWords.count == 1 { return value(Substring(rhs)).map { .move(dst: dst, src: $0) } }
        let opArgs = rhsWords[1].split(separator: ",").map { Substring($0.trimmingCharacters(in: .whitespaces)) }
        if let w = MemoryWidth.allCases.first(where: { loadName($0) == rhsWords[0] }) {
            guard opArgs.count == 2, let base = value(opArgs[0]), let off = number(String(opArgs[1])) else { return nil }
            return .load(w, dst: dst, base: base, offset: off)
        }
        if let op = AtomicOp.allCases.first(where: { $0.name == rhsWords[0] }) {
            guard opArgs.count == 2, let a = value(opArgs[0]), let b = value(opArgs[1]) else { return nil }
            return .atomic(op, dst: dst, address: a, value: b)
        }
        if let alu = ALUOp.allCases.first(where: { $0.name == rhsWords[0] }) {
            guard opArgs.count == 2, let a = value(opArgs[0]), let b = value(opArgs[1]) else { return nil }
            return .alu(alu, dst: dst, a, b)
        }
        return nil
    }
}
