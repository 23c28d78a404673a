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

    public func dot(symbols: SymbolTable) -> String {
        let f = TraceFormatter(format: .text, symbols: symbols)
        let hottest = max(1, blocks.map(\.instructions).max() ?? 1)
        var out = [
            "digraph cfg {",
            "  node [shape=box, fontname=\"monospace\", fontsize=10, style=filled, fillcolor=\"#ffffff\"];",
            "  edge [fontname=\"monospace\", fontsize=9];",
        ]
        for b in blocks {
            var label = (symbols.describe(b.pc) ?? "0x" + hex8(b.pc)) + "  (\(b.executions)x)\\l"
            for (pc, w) in zip(instructionAddresses(from: b.pc, words: b.words), b.words) {
                label += hex8(pc) + "  " + f.disassembly(w, pc: pc) + "\\l"
            }
            // Shade from white (cold) to red (the block that ran the most instructions).
            let heat = Double(b.instructions) / Double(hottest)
            let saturation = fmt(heat, width: 0)
            out.append("  \(Self.id(b.pc)) [label=\(quote(label)), fillcolor=\"0.000 \(saturation) 1.000\"];")
        }
        for e in edges {
            let style = e.chained ? ", style=bold, color=\"#1f4fbf\"" : ""
            out.append("  \(Self.id(e.edge.from)) -> \(Self.id(e.edge.to)) [label=\"\(e.count)\"\(style)];")
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
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
