import Foundation
import RVMachine

/// Where trace lines go: an output file (buffered) or, for tests, a closure per line.
public final class TraceOutput: @unchecked Sendable {
    private let file: OutputFile?
    private let capture: ((String) -> Void)?
    private var buffer: [UInt8] = []

    public static func standardError() -> TraceOutput { TraceOutput(file: .standardError()) }

    /// Opens `path` as `OutputFile` does (`-`: standard output).
    public static func file(_ path: String) throws(OutputFileError) -> TraceOutput {
        TraceOutput(file: try OutputFile.open(path))
    }

    public init(capture: @escaping (String) -> Void) {
        file = nil
        self.capture = capture
    }

    private init(file: OutputFile) {
        self.file = file
        capture = nil
        buffer.reserveCapacity(1 << 16)
    }

    public func write(line: String) {
        if let capture { return capture(line) }
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0a)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard let file, !buffer.isEmpty else { return }
        file.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// The first write error, if any.
    public var failure: OutputFileError? { file?.failure }

    deinit { flush() }
}

/// Filters events and hands them to the formatter and the output.
public final class Tracer {
    public let kinds: Set<TraceKind>
    private let kindMask: UInt16
    public let filter: TraceFilter
    public let formatter: TraceFormatter
    public let output: TraceOutput
    /// Events written so far.
    public private(set) var eventsWritten: UInt64 = 0

    public init(kinds: Set<TraceKind>, filter: TraceFilter, formatter: TraceFormatter, output: TraceOutput) {
        self.kinds = kinds
        self.kindMask = TraceKind.mask(kinds)
        self.filter = filter
        self.formatter = formatter
        self.output = output
    }

    @inline(__always)
    public func wants(_ kind: TraceKind) -> Bool { kindMask & kind.bit != 0 }

    /// Writes `event` if its kind is on and it passes the filter.
    public func emit(_ event: TraceEvent, icount: UInt64) {
        guard wants(event.kind) else { return }
        let (lo, hi) = event.addresses
        guard filter.admits(lo, hi, icount: icount) else { return }
        eventsWritten &+= 1
        for line in formatter.lines(event, icount: icount) { output.write(line: line) }
    }

    public func flush() { output.flush() }
}
