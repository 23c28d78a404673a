import RVMachine

/// The translated blocks as a Graphviz digraph (`--cfg PATH.dot`).
///
/// Nodes are blocks, labelled with `symbol+offset` and their disassembly and shaded by the share
/// of guest instructions they ran; edges are transitions between blocks with how often they
/// were taken, drawn bold when the JIT chained them.
public struct ControlFlowGraph: Sendable {
    public var blocks: [BlockCount]
    public var edges: [(edge: BlockEdge, count: UInt64, chained: Bool)]

    public init(blocks: [BlockCount], edges: [(edge: BlockEdge, count: UInt64, chained: Bool)]) {
        self.blocks = blocks.sorted { $0.pc < $1.pc }
        self.edges = edges.sorted { ($0.edge.from, $0.edge.to) < ($1.edge.from, $1.edge.to) }
    }

    static func id(_ pc: UInt32) -> String { "b" + hex8(pc) }

    /// What `dot` draws.
    public struct Style: Sendable {
        /// Each block's disassembly in its box (`--cfg-detail`); otherwise address, length and count.
        public var detail = false
        /// Only this function's blocks, with calls and returns to other functions as small
        /// named nodes (`--cfg-function NAME`).
        public var function: String? = nil
        public init(detail: Bool = false, function: String? = nil) {
            self.detail = detail
            self.function = function
        }
    }

    /// The graph as DOT: blocks clustered by function (the symbol containing their start),
    /// each cluster labelled with its function's share of the instructions run.
    public func dot(symbols: SymbolTable, style: Style = Style()) -> String {
        let f = TraceFormatter(format: .text, symbols: symbols)
        let hottest = max(1, blocks.map(\.instructions).max() ?? 1)
        let total = max(1, blocks.reduce(0) { $0 &+ $1.instructions })
        func owner(_ pc: UInt32) -> String { symbols.symbol(containing: pc)?.name ?? "?" }
        let shown = blocks.filter { style.function == nil || owner($0.pc) == style.function }
        let shownPCs = Set(shown.map(\.pc))
        var out = [
            "digraph cfg {",
            "  graph [fontname=\"sans-serif\", fontsize=12, nodesep=0.25, ranksep=0.3];",
            "  node [shape=box, fontname=\"monospace\", fontsize=10, style=\"filled,rounded\", fillcolor=\"#ffffff\", margin=\"0.08,0.03\"];",
            "  edge [fontname=\"monospace\", fontsize=9, arrowsize=0.6];",
        ]
        // Clusters in address order of their first block.
        var order: [String] = []
        var members: [String: [BlockCount]] = [:]
        for b in shown {
            let name = owner(b.pc)
            if members[name] == nil { order.append(name) }
            members[name, default: []].append(b)
        }
        for (index, name) in order.enumerated() {
            let group = members[name] ?? []
            let instructions = group.reduce(0) { $0 &+ $1.instructions }
            let share = fmt(100 * Double(instructions) / Double(total), width: 0)
            out.append("  subgraph cluster_\(index) {")
            out.append("  label=\(quote("\(name)  (\(share)% of instructions)")); style=\"rounded\"; color=\"#888888\";")
            for b in group {
                let offset = symbols.describe(b.pc) ?? "0x" + hex8(b.pc)
                var label = "0x\(hex8(b.pc)) \(offset)\\l\(b.words.count) insns, \(b.executions)x\\l"
                if style.detail {
                    for (pc, w) in zip(instructionAddresses(from: b.pc, words: b.words), b.words) {
                        label += hex8(pc) + "  " + f.disassembly(w, pc: pc) + "\\l"
                    }
                }
                // Shade from white (cold) to red (the block that ran the most instructions).
                let heat = Double(b.instructions) / Double(hottest)
                let saturation = fmt(heat, width: 0)
                out.append("  \(Self.id(b.pc)) [label=\(quote(label)), fillcolor=\"0.000 \(saturation) 1.000\"];")
            }
            out.append("  }")
        }
        // Edges out of or into a drawn function end at one small node per other function.
        var outside: Set<String> = []
        for e in edges {
            let style = e.chained ? ", style=bold, color=\"#1f4fbf\"" : ""
            let from = shownPCs.contains(e.edge.from), to = shownPCs.contains(e.edge.to)
            switch (from, to) {
            case (true, true):
                out.append("  \(Self.id(e.edge.from)) -> \(Self.id(e.edge.to)) [label=\"\(e.count)\"\(style)];")
            case (true, false):
                let other = owner(e.edge.to)
                outside.insert(other)
                out.append("  \(Self.id(e.edge.from)) -> \(Self.external(other)) [label=\"\(e.count)\", style=dashed];")
            case (false, true):
                let other = owner(e.edge.from)
                outside.insert(other)
                out.append("  \(Self.external(other)) -> \(Self.id(e.edge.to)) [label=\"\(e.count)\", style=dashed];")
            case (false, false):
                break
            }
        }
        for name in outside.sorted() {
            out.append("  \(Self.external(name)) [label=\(quote(name)), shape=plaintext, style=\"\", fontname=\"sans-serif\"];")
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    /// The node standing for another function in a one-function graph.
    static func external(_ name: String) -> String {
        "x_" + String(name.unicodeScalars.map { ($0.properties.isAlphabetic || ("0"..."9").contains($0)) && $0.isASCII ? Character($0) : "_" })
            + "_" + String(name.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }, radix: 16)  // FNV-1a: stable
    }

    /// A DOT string literal; `\l` line ends already in `s` are kept.
    func quote(_ s: String) -> String {
        var out = "\""
        let chars = Array(s)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && i + 1 < chars.count && chars[i + 1] == "l" {
                out += "\\l"
                i += 2
                continue
            }
            if c == "\"" || c == "\\" { out += "\\" }
            out.append(c)
            i += 1
        }
        return out + "\""
    }
}
