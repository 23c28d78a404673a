import ArgumentParser
import Foundation
import RVTracing

extension TraceFormat: ExpressibleByArgument {}

/// `--trace` and its filters, `--profile`, `--cfg`: shared by `run` and `trace`.
struct TraceOptions: ParsableArguments {
    @Option(name: .customLong("trace"), help: ArgumentHelp(TraceKind.helpText, valueName: "kinds"))
    var kinds: String?

    @Option(name: .customLong("trace-range"), help: ArgumentHelp("Trace only guest pcs in [LO, HI) (hex, e.g. 10094-100c0).", valueName: "lo-hi"))
    var range: String?

    @Option(name: .customLong("trace-after"), help: ArgumentHelp("Trace only once N guest instructions have retired.", valueName: "n"))
    var after: UInt64?

    @Option(name: .customLong("trace-count"), help: ArgumentHelp("Trace only N guest instructions' worth of events (after --trace-after).", valueName: "n"))
    var count: UInt64?

    @Option(name: .customLong("trace-file"), help: ArgumentHelp("Write the trace to PATH instead of standard error.", valueName: "path"))
    var file: String?

    @Option(name: .customLong("trace-format"), help: "Trace lines: text, jsonl (one JSON object a line) or spike (exactly Spike's --log-commits lines; with --trace insns only); see docs/tracing.md.")
    var format: TraceFormat?

    @Flag(help: "At exit, print the hottest blocks and per-function instruction totals to standard error.")
    var profile = false

    @Option(name: .customLong("cfg"), help: ArgumentHelp("Write the executed blocks and their edges as a Graphviz graph to PATH.dot.", valueName: "path"))
    var cfg: String?

    @Flag(name: .customLong("cfg-detail"), help: "Show each block's disassembly in the CFG (default: address, length and count).")
    var cfgDetail = false

    @Option(name: .customLong("cfg-function"), help: ArgumentHelp("Draw only this function's blocks in the CFG, calls to others as named nodes.", valueName: "name"))
    var cfgFunction: String?

    @Option(name: .customLong("profile-file"), help: ArgumentHelp("Write the profile to PATH (JSON if it ends in .json, text otherwise) instead of standard error; implies --profile.", valueName: "path"))
    var profileFile: String?

    func validate() throws {
        if let kinds {
            do { _ = try TraceKind.parseList(kinds) } catch { throw ValidationError("--trace: \(error)") }
        }
        if let range, TraceFilter.parseRange(range) == nil {
            throw ValidationError("--trace-range must be LO-HI in hex with LO <= HI (e.g. 10094-100c0), not '\(range)'")
        }
    }

    /// The configuration, or nil when nothing is asked for. `defaultKinds` apply when `--trace` is absent.
    func configuration(defaultKinds: Set<TraceKind> = []) throws -> TraceConfiguration? {
        var c = TraceConfiguration()
        do {
            c.kinds = try kinds.map { try TraceKind.parseList($0) } ?? defaultKinds
        } catch {
            throw ValidationError("--trace: \(error)")
        }
        if c.kinds.isEmpty {
            // Options that shape a trace cannot take effect without one.
            let given = [("--trace-range", range != nil), ("--trace-after", after != nil), ("--trace-count", count != nil),
                         ("--trace-file", file != nil), ("--trace-format", format != nil)].filter(\.1).map(\.0)
            if let first = given.first { throw ValidationError("\(first) needs --trace KINDS") }
        }
        c.filter = TraceFilter(range: range.flatMap(TraceFilter.parseRange), after: after ?? 0, count: count)
        c.format = format ?? .text
        if c.format == .spike, c.kinds != [.insns] {
            throw ValidationError("--trace-format spike is Spike's commit log, which shows instructions only: use it with --trace insns")
        }
        if let file { c.destination = .file(file) }
        c.profile = profile || profileFile != nil
        c.profilePath = profileFile
        c.cfgPath = cfg
        c.cfgStyle = ControlFlowGraph.Style(detail: cfgDetail, function: cfgFunction)
        if cfg == nil {
            if cfgDetail { throw ValidationError("--cfg-detail needs --cfg PATH") }
            if cfgFunction != nil { throw ValidationError("--cfg-function needs --cfg PATH") }
        }
        return c.isActive ? c : nil
    }
}

/// `rvjit trace ELF [ARGS…]`: a run with tracing on (by default `blocks,exec`).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Run a guest program and trace what the translator and the guest do.",
        discussion: "Trace kinds:\n" + TraceKind.table.map { "  \($0.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))\($0.help)" }.joined(separator: "\n")
            + "\n\nWithout --trace, traces \(TraceCommand.defaultKinds.map(\.rawValue).sorted().joined(separator: ",")). See docs/tracing.md for the formats.")

    static let defaultKinds: Set<TraceKind> = [.blocks, .exec]

    @OptionGroup var engine: EngineOptions
    @OptionGroup var options: RunOptions
    @OptionGroup var trace: TraceOptions
    @OptionGroup var program: GuestProgram

    func run() throws {
        var config = try options.configuration(elf: program.elf, arguments: program.arguments, engine: engine.engine)
        config.trace = try trace.configuration(defaultKinds: Self.defaultKinds)
        try runGuest(config, stats: engine.stats)
    }
}
