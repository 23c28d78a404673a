import RISCV
import RVMachine

/// How often one block ran.
public struct BlockCount: Sendable {
    public var pc: UInt32
    /// The block's instruction words (for its disassembly).
    public var words: [UInt32]
    public var executions: UInt64
    /// Guest instructions executed in this block (executions × length when it always ran whole).
    public var instructions: UInt64
    /// Of `executions`, how many each tier ran (a block the JIT compiled again natively ran
    /// on both the closure and the native tier).
    public var executionsByTier: [BlockTier: UInt64]

    public init(pc: UInt32, words: [UInt32], executions: UInt64, instructions: UInt64, executionsByTier: [BlockTier: UInt64]) {
        self.pc = pc
        self.words = words
        self.executions = executions
        self.instructions = instructions
        self.executionsByTier = executionsByTier
    }

    /// The tiers that ran the block, in tier order, as `--tiers` spells a chain (`closure,native`).
    public var tiers: String {
        BlockTier.allCases.filter { (executionsByTier[$0] ?? 0) > 0 }.map(\.rawValue).joined(separator: ",")
    }

    public var endPC: UInt32 { words.reduce(pc) { $0 &+ instructionLength($1) } }
}

/// A control-flow edge between two blocks: how often it was taken, and whether it was chained.
public struct BlockEdge: Sendable, Hashable {
    public var from: UInt32
    public var to: UInt32
    public init(from: UInt32, to: UInt32) {
        self.from = from
        self.to = to
    }
}

/// The profile shown by `--profile`: blocks by guest instructions executed, and per-function totals.
public struct Profile: Sendable {
    public var blocks: [BlockCount]
    /// Every guest instruction the run retired.
    public var totalInstructions: UInt64

    public init(blocks: [BlockCount], totalInstructions: UInt64) {
        self.blocks = blocks.sorted { ($0.instructions, $1.pc) > ($1.instructions, $0.pc) }
        self.totalInstructions = totalInstructions
    }

    /// Instructions not attributed to a block: run by the interpreter outside translated blocks
    /// under the JIT (fallbacks) minus those counted for blocks that left early (a trap). Zero
    /// under the interpreter.
    public var unattributed: Int64 {
        Int64(bitPattern: totalInstructions) - Int64(bitPattern: blocks.reduce(0) { $0 &+ $1.instructions })
    }

    /// Instructions per function (the symbol containing each block's start), largest first.
    public func functions(_ symbols: SymbolTable) -> [(name: String, instructions: UInt64, executions: UInt64)] {
        var totals: [String: (UInt64, UInt64)] = [:]
        for b in blocks {
            let name = symbols.symbol(containing: b.pc)?.name ?? "?"
            let t = totals[name] ?? (0, 0)
            totals[name] = (t.0 &+ b.instructions, t.1 &+ b.executions)
        }
        return totals.map { ($0.key, $0.value.0, $0.value.1) }.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
    }

    func share(_ n: UInt64) -> String {
        totalInstructions == 0 ? "  0.00%" : fmt(100 * Double(n) / Double(totalInstructions), width: 6) + "%"
    }

    /// The report: the `top` hottest blocks with their disassembly, then every function.
    /// Block executions each tier ran, over all blocks.
    public var executionsByTier: [BlockTier: UInt64] {
        blocks.reduce(into: [:]) { totals, b in
            for (tier, n) in b.executionsByTier { totals[tier, default: 0] &+= n }
        }
    }

    public func report(symbols: SymbolTable, top: Int = 10) -> [String] {
        let f = TraceFormatter(format: .text, symbols: symbols)
        var out = ["profile: \(totalInstructions) guest instructions, \(blocks.count) blocks"]
        let byTier = executionsByTier
        // The tiers that ran the profiled blocks (the JIT's interpreter fallbacks are not
        // blocks of the profile: see the line on instructions outside translated blocks).
        out.append("block executions by tier: " + BlockTier.allCases.compactMap { t in byTier[t].map { "\(t.rawValue) \($0)" } }.joined(separator: ", "))
        out.append("hottest blocks (guest instructions = executions x length):")
        out.append("  rank  instructions   share    executions  tier            block")
        for (i, b) in blocks.prefix(top).enumerated() {
            out.append("  " + pad(String(i + 1), 4) + "  " + pad(String(b.instructions), 12) + "  " + share(b.instructions)
                + "  " + pad(String(b.executions), 12) + "  " + b.tiers.padding(14) + "  " + f.address(b.pc) + ", \(b.words.count) insns")
            for (pc, w) in zip(instructionAddresses(from: b.pc, words: b.words), b.words) {
                out.append("          \(hex8(pc))  " + f.disassembly(w, pc: pc))
            }
        }
        if unattributed != 0 {
            out.append("  (\(unattributed) instructions outside translated blocks: interpreter fallbacks and early exits)")
        }
        out.append("per function:")
        out.append("  instructions   share    executions  function")
        for fn in functions(symbols) {
            out.append("  " + pad(String(fn.instructions), 12) + "  " + share(fn.instructions) + "  " + pad(String(fn.executions), 12) + "  " + fn.name)
        }
        return out
    }
}

extension Profile {
    /// The profile as one JSON object (`--profile-file PATH.json`): totals, every block by
    /// instructions run, every function.
    public func json(symbols: SymbolTable) -> String {
        var o = JSONObject()
        o["total_instructions"] = .number(totalInstructions)
        o["unattributed"] = .number(UInt64(clamping: max(0, unattributed)))
        o["blocks"] = .array(blocks.map { b in
            var e = JSONObject()
            e["pc"] = .number(UInt64(b.pc))
            e["symbol"] = symbols.describe(b.pc).map { .string($0) } ?? .null
            e["length"] = .number(UInt64(b.words.count))
            e["executions"] = .number(b.executions)
            e["instructions"] = .number(b.instructions)
            var tiers = JSONObject()
            for tier in BlockTier.allCases { if let n = b.executionsByTier[tier] { tiers[tier.rawValue] = .number(n) } }
            e["tiers"] = .object(tiers)
            return .object(e)
        })
        o["functions"] = .array(functions(symbols).map { fn in
            var e = JSONObject()
            e["name"] = .string(fn.name)
            e["instructions"] = .number(fn.instructions)
            e["executions"] = .number(fn.executions)
            return .object(e)
        })
        return o.serialized
    }
}

func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

/// `x` with two decimals, right-aligned in `width`.
func fmt(_ x: Double, width: Int) -> String {
    let scaled = Int((x * 100).rounded())
    let s = "\(scaled / 100).\(scaled % 100 < 10 ? "0" : "")\(scaled % 100)"
    return pad(s, width)
}

/// Finds blocks in a stream of retired instructions, as the JIT's block decoder would cut them:
/// a block starts at the first instruction after one that ends a block (or after a jump in
/// the stream, such as a trap), and ends at such an instruction, a page boundary or the cap.
/// Used to profile the interpreter, and to draw its CFG and trace `exec` under it.
public struct BlockTracker {
    public let endsBlock: (UInt32) -> Bool
    public let maxLength: Int
    var start: UInt32 = 0
    var length = 0
    var open = false
    var expected: UInt32 = 0
    var previous: UInt32? = nil
    public private(set) var counts: [UInt32: BlockCount] = [:]
    public private(set) var transitions: [BlockEdge: UInt64] = [:]

    public init(maxLength: Int = 64, endsBlock: @escaping (UInt32) -> Bool) {
        self.maxLength = maxLength
        self.endsBlock = endsBlock
    }

    /// Notes a retired instruction; returns the block's pc and its executions so far when
    /// this instruction starts a block.
    public mutating func retired(pc: UInt32, word: UInt32) -> (pc: UInt32, count: UInt64)? {
        var started: (UInt32, UInt64)? = nil
        let size = instructionLength(word)
        // As the block decoder does, an instruction that straddles a page boundary starts a block.
        let straddles = pc & (GuestMemory.pageSize - 1) == GuestMemory.pageSize - 2 && size == 4
        if !open || pc != expected || (straddles && length > 0) {
            if open { previous = start }
            if let p = previous { transitions[BlockEdge(from: p, to: pc), default: 0] &+= 1 }
            start = pc
            length = 0
            open = true
            var c = counts[pc] ?? BlockCount(pc: pc, words: [], executions: 0, instructions: 0, executionsByTier: [:])
            c.executions &+= 1
            c.executionsByTier[.interp, default: 0] &+= 1
            counts[pc] = c
            started = (pc, c.executions)
        }
        if var c = counts[start] {  // always there: inserted when the block opened
            c.instructions &+= 1
            if c.words.count == length { c.words.append(word) }
            counts[start] = c
        }
        length += 1
        expected = pc &+ size
        if endsBlock(word) || length >= maxLength || expected >> GuestMemory.pageShift != start >> GuestMemory.pageShift {
            open = false
            previous = start
        }
        return started
    }
}
