/// A category of trace events (`--trace KINDS`).
public enum TraceKind: String, Sendable, Hashable {
    case blocks
    case exec
    case insns
    case syscalls
    case invalidate
    case chain
    case cpu
    case traps
}

extension TraceKind {
    /// The one table of trace categories: name and help text. `--trace`'s help, the parser and
    /// docs/tracing.md all follow this table's order.
    public static let table: [(kind: TraceKind, help: String)] = [
        (.blocks, "each block when translated: guest range, disassembly, IR before/after passes, closure shapes"),
        (.exec, "each block as it runs: address, symbol, executions so far"),
        (.insns, "each instruction as it retires, with the register or memory it wrote (Spike-like)"),
        (.syscalls, "each system call with its arguments and result"),
        (.invalidate, "each translated block dropped by a store to its code or by fence.i, and why"),
        (.chain, "each direct link between blocks made or broken"),
        (.cpu, "the register file at each block entry (like QEMU's -d cpu)"),
        (.traps, "each exception and interrupt: cause, mtval, pc, handler and privilege change (like QEMU's -d int)"),
    ]

    public static var allKinds: [TraceKind] { table.map(\.kind) }

    /// One bit per kind: hooks ask per retired instruction whether a kind is on, and a set of
    /// strings would hash the name each time.
    public var bit: UInt16 {
        switch self {
        case .blocks: 1 << 0
        case .exec: 1 << 1
        case .insns: 1 << 2
        case .syscalls: 1 << 3
        case .invalidate: 1 << 4
        case .chain: 1 << 5
        case .cpu: 1 << 6
        case .traps: 1 << 7
        }
    }

    /// The bits of `kinds`.
    public static func mask(_ kinds: Set<TraceKind>) -> UInt16 { kinds.reduce(0) { $0 | $1.bit } }

    public var help: String { Self.table.first { $0.kind == self }?.help ?? "" }

    /// The generated help of `--trace`.
    public static var helpText: String {
        "Comma-separated trace kinds, or all: "
            + table.map { "\($0.kind.rawValue) (\($0.help))" }.joined(separator: "; ") + "."
    }

    /// Parses `blocks,exec` (or `all`); unknown names are an error naming the valid ones.
    public static func parseList(_ text: String) throws(TraceKindError) -> Set<TraceKind> {
        var kinds = Set<TraceKind>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: " ")
            if name == "all" {
                kinds.formUnion(allKinds)
            } else if let k = TraceKind(rawValue: name) {
                kinds.insert(k)
            } else {
                throw TraceKindError(name: name)
            }
        }
        return kinds
    }
}

public struct TraceKindError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var description: String {
        "unknown trace kind '\(name)'; valid kinds: " + TraceKind.allKinds.map(\.rawValue).joined(separator: ", ") + ", all"
    }
}

extension Substring {
    func trimmingCharacters(in c: Character) -> String {
        var s = self
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}
