import RISCV
import RVMachine

/// `--trace-format`: human-readable lines, one JSON object per line, or Spike's commit log
/// (`spike --log-commits`; `insns` only).
public enum TraceFormat: String, Sendable, CaseIterable {
    case text
    case jsonl
    case spike
}

/// Turns events into lines. Every address is shown with the guest's symbols as `<sym+0x..>`.
public struct TraceFormatter: Sendable {
    public var format: TraceFormat
    public var symbols: SymbolTable
    let disassembler: Disassembler

    public init(format: TraceFormat, symbols: SymbolTable) {
        self.format = format
        self.symbols = symbols
        let s = symbols
        disassembler = Disassembler(aliases: true, symbolize: { s.describe($0) })
    }

    /// The lines for one event (`icount`: guest instructions retired before it).
    public func lines(_ event: TraceEvent, icount: UInt64) -> [String] {
        switch format {
        case .text: return text(event, icount: icount)
        case .jsonl: return [json(event, icount: icount)]
        case .spike: return spike(event)
        }
    }

    // MARK: Spike's commit log

    /// Spike's commit log has instructions only: other events have no line in it.
    func spike(_ event: TraceEvent) -> [String] {
        switch event {
        case .committed(let c): return [c.line]
        case .translated, .exec, .retired, .syscall, .invalidated, .chain, .cpu, .trap: return []
        }
    }

    // MARK: Text

    /// `0x00010094 <main+0x14>` (no brackets when no symbol precedes the address).
    public func address(_ a: UInt32) -> String {
        let h = "0x" + hex8(a)
        guard let s = symbols.describe(a) else { return h }
        return "\(h) <\(s)>"
    }

    /// Disassembly with the mnemonic padded to 8 columns (`lui     a5,0x11`).
    public func disassembly(_ word: UInt32, pc: UInt32) -> String {
        let t = disassembler.text(word: word, pc: pc)
        guard let tab = t.firstIndex(of: "\t") else { return t }
        let m = String(t[..<tab])
        return m.padding(8) + t[t.index(after: tab)...]
    }

    /// The `insns` line: `core   0: P 0xPC (0xWORD) DISASM` padded to 72 columns, then
    /// ` xN 0xVALUE` for a register write and ` mem 0xADDR 0xVALUE` for a store.
    public func insnLine(_ r: RetiredInstruction) -> String {
        var s = "core   0: \(r.privilege) 0x\(hex8(r.pc)) (0x\(hex8(r.word))) " + disassembly(r.word, pc: r.pc)
        var effects = ""
        if let w = r.write { effects += " x\(w.register) 0x\(hex8(w.value))" }
        if let w = r.floatWrite { effects += " f\(w.register) 0x\(hex16(w.value))" }
        if let m = r.store {
            effects += " mem 0x\(hex8(m.address)) 0x" + String(hex16(m.value).suffix(m.width * 2))
        }
        if !effects.isEmpty { s = s.padding(72) + effects }
        return s + TraceFormatter.space(r.sv32ASID)
    }

    /// The end of an `insns` or `exec` line whose addresses are virtual: the address space they
    /// are in, as `traps` lines say it.
    static func space(_ asid: UInt16?) -> String { asid.map { " vm sv32 asid \($0)" } ?? "" }

    func text(_ event: TraceEvent, icount: UInt64) -> [String] {
        switch event {
        case .translated(let b):
            var out = ["block \(address(b.pc)) .. 0x\(hex8(b.endPC)), \(b.length) insns, icount \(icount), tier \(b.tier.rawValue)"]
            out.append("  guest:")
            for (pc, w) in zip(instructionAddresses(from: b.pc, words: b.words), b.words) {
                out.append("    \(hex8(pc))  \(hex8(w))  " + disassembly(w, pc: pc))
            }
            out.append("  ir before passes:")
            out += b.irBefore.map { "    " + $0 }
            out.append("  ir after passes:")
            out += b.irAfter.map { "    " + $0 }
            if b.machineCode.isEmpty {
                out.append("  closures: " + b.shapes.joined(separator: " "))
            } else {
                out.append("  native x86-64:")
                out += b.machineCode.map { "    " + $0 }
            }
            return out
        case .exec(let pc, let count, let tier, let asid):
            return ["exec \(address(pc)) count \(count) icount \(icount) tier \(tier.rawValue)" + TraceFormatter.space(asid)]
        case .retired(let r):
            return [insnLine(r)]
        case .committed(let c):
            return [c.line]
        case .syscall(let pc, let text):
            return ["syscall \(address(pc)): \(text)"]
        case .invalidated(let pc, let end, let reason):
            return ["invalidate \(address(pc)) .. 0x\(hex8(end)): \(reason), icount \(icount)"]
        case .chain(let from, let to, let linked):
            return ["chain \(linked ? "link" : "unlink") \(address(from)) -> \(address(to))"]
        case .cpu(let pc, let x, let privilege):
            var out = ["cpu \(address(pc)) priv \(privilegeName(privilege)) icount \(icount)"]
            for row in 0..<8 {
                out.append((0..<4).map { col -> String in
                    let r = row * 4 + col
                    return " " + RegisterName.abi[r].padding(4) + " " + hex8(r < x.count ? x[r] : 0)
                }.joined(separator: " "))
            }
            return out
        case .trap(let t):
            let handler = t.handler.map { "handler \(address($0))" } ?? "no handler: the process dies"
            // Under Sv32 (taken below M) the pc, and a page fault's tval, are virtual.
            let space = t.virtualPC ? " vm sv32 asid \(Sv32.asid(t.satp))" : ""
            return ["trap \(t.interrupt ? "interrupt" : "exception") \(t.cause) (\(t.causeName)) at \(address(t.pc)) tval 0x\(hex8(t.value)) \(handler) priv \(privilegeName(t.from.rawValue))->\(privilegeName(t.to.rawValue))\(space) icount \(icount)"]
        }
    }

    // MARK: JSON lines

    func json(_ event: TraceEvent, icount: UInt64) -> String {
        var o = JSONObject()
        o["kind"] = .string(event.kind.rawValue)
        o["icount"] = .number(icount)
        switch event {
        case .translated(let b):
            o["pc"] = .number(UInt64(b.pc))
            o["end"] = .number(UInt64(b.endPC))
            o["symbol"] = symbol(b.pc)
            o["length"] = .number(UInt64(b.length))
            o["insns"] = .array(zip(instructionAddresses(from: b.pc, words: b.words), b.words).map { pc, w in
                var e = JSONObject()
                e["pc"] = .number(UInt64(pc))
                e["word"] = .number(UInt64(w))
                e["disasm"] = .string(disassembler.text(word: w, pc: pc).replacingTabs())
                return .object(e)
            })
            o["ir_before"] = .array(b.irBefore.map { .string($0) })
            o["ir_after"] = .array(b.irAfter.map { .string($0) })
            o["shapes"] = .array(b.shapes.map { .string($0) })
            o["tier"] = .string(b.tier.rawValue)
            if !b.machineCode.isEmpty { o["x86_64"] = .array(b.machineCode.map { .string($0) }) }
        case .exec(let pc, let count, let tier, let asid):
            o["pc"] = .number(UInt64(pc))
            o["symbol"] = symbol(pc)
            o["count"] = .number(count)
            o["tier"] = .string(tier.rawValue)
            if let asid { o["sv32_asid"] = .number(UInt64(asid)) }
        case .retired(let r):
            if let asid = r.sv32ASID { o["sv32_asid"] = .number(UInt64(asid)) }
            o["pc"] = .number(UInt64(r.pc))
            o["symbol"] = symbol(r.pc)
            o["word"] = .number(UInt64(r.word))
            o["disasm"] = .string(disassembler.text(word: r.word, pc: r.pc).replacingTabs())
            o["priv"] = .number(UInt64(r.privilege))
            if let w = r.write {
                o["rd"] = .number(UInt64(w.register))
                o["value"] = .number(UInt64(w.value))
            }
            if let w = r.floatWrite {
                o["frd"] = .number(UInt64(w.register))
                o["fvalue"] = .number(w.value)
            }
            if let m = r.store {
                o["mem_addr"] = .number(UInt64(m.address))
                o["mem_value"] = .number(UInt64(m.value))
                o["mem_width"] = .number(UInt64(m.width))
            }
        case .committed(let c):
            o["pc"] = .number(UInt64(c.pc))
            o["spike"] = .string(c.line)
        case .syscall(let pc, let text):
            o["pc"] = .number(UInt64(pc))
            o["symbol"] = symbol(pc)
            o["text"] = .string(text)
        case .invalidated(let pc, let end, let reason):
            o["pc"] = .number(UInt64(pc))
            o["end"] = .number(UInt64(end))
            o["symbol"] = symbol(pc)
            o["reason"] = .string(reason)
        case .chain(let from, let to, let linked):
            o["from"] = .number(UInt64(from))
            o["from_symbol"] = symbol(from)
            o["to"] = .number(UInt64(to))
            o["to_symbol"] = symbol(to)
            o["linked"] = .bool(linked)
        case .cpu(let pc, let x, let privilege):
            o["pc"] = .number(UInt64(pc))
            o["symbol"] = symbol(pc)
            o["priv"] = .number(UInt64(privilege))
            var regs = JSONObject()
            for (r, v) in x.prefix(32).enumerated() { regs[RegisterName.abi[r]] = .number(UInt64(v)) }
            o["regs"] = .object(regs)
        case .trap(let t):
            o["interrupt"] = .bool(t.interrupt)
            o["cause"] = .number(UInt64(t.cause))
            o["cause_name"] = .string(t.causeName)
            o["tval"] = .number(UInt64(t.value))
            o["pc"] = .number(UInt64(t.pc))
            o["symbol"] = symbol(t.pc)
            o["handler"] = t.handler.map { .number(UInt64($0)) } ?? .null
            o["priv_from"] = .number(UInt64(t.from.rawValue))
            if t.virtualPC { o["sv32_asid"] = .number(UInt64(Sv32.asid(t.satp))) }
            o["priv_to"] = .number(UInt64(t.to.rawValue))
        }
        return o.serialized
    }

    func privilegeName(_ p: UInt32) -> String { p == 3 ? "M" : p == 1 ? "S" : "U" }

    func symbol(_ a: UInt32) -> JSONValue { symbols.describe(a).map { .string($0) } ?? .null }
}

// MARK: A small JSON writer (fields keep their insertion order so lines are stable)

public indirect enum JSONValue: Sendable {
    case string(String)
    case number(UInt64)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object(JSONObject)

    var serialized: String {
        switch self {
        case .string(let s): return JSONValue.quote(s)
        case .number(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(\.serialized).joined(separator: ",") + "]"
        case .object(let o): return o.serialized
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

public struct JSONObject: Sendable {
    var fields: [(String, JSONValue)] = []
    public init() {}
    public subscript(key: String) -> JSONValue? {
        get { fields.first { $0.0 == key }?.1 }
        set {
            fields.removeAll { $0.0 == key }
            if let v = newValue { fields.append((key, v)) }
        }
    }
    public var serialized: String {
        "{" + fields.map { JSONValue.quote($0.0) + ":" + $0.1.serialized }.joined(separator: ",") + "}"
    }
}

func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}

func hex16(_ v: UInt64) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, 16 - s.count)) + s
}
