import Foundation
import RVMachine

/// Where trace lines go: a file descriptor (buffered) or, for tests, a closure per line.
public final class TraceOutput: @unchecked Sendable {
    private let handle: FileHandle?
    private let ownsHandle: Bool
    private let capture: ((String) -> Void)?
    private var buffer: [UInt8] = []

    public static func standardError() -> TraceOutput { TraceOutput(handle: .standardError, owns: false) }

    /// Creates (or truncates) `path`.
    public static func file(_ path: String) throws -> TraceOutput {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw TraceOutputError(path: path)
        }
        return TraceOutput(handle: h, owns: true)
    }

    public init(capture: @escaping (String) -> Void) {
        handle = nil
        ownsHandle = false
        self.capture = capture
    }

    private init(handle: FileHandle, owns: Bool) {
        self.handle = handle
        ownsHandle = owns
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
        guard let handle, !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    deinit {
        flush()
        if ownsHandle { try? handle?.close() }
    }
}

public struct TraceOutputError: Error, CustomStringConvertible {
    public var path: String
    public init(path: String) { self.path = path }
    public var description: String { "cannot write the trace to \(path)" }
}

/// Filters events and hands them to the formatter and the output.
public final class Tracer {
    public let kinds: Set<TraceKind>
    public let filter: TraceFilter
    public let formatter: TraceFormatter
    public let output: TraceOutput
    /// Events written so far.
    public private(set) var eventsWritten: UInt64 = 0

    public init(kinds: Set<TraceKind>, filter: TraceFilter, formatter: TraceFormatter, output: TraceOutput) {
        self.kinds = kinds
        self.filter = filter
        self.formatter = formatter
        self.output = output
    }

    @inline(__always)
    public func wants(_ kind: TraceKind) -> Bool { kinds.contains(kind) }

    /// Writes `event` if its kind is on and it passes the filter.
    public func emit(_ event: TraceEvent, icount: UInt64) {
        guard kinds.contains(event.kind) else { return }
        let (lo, hi) = event.addresses
        guard filter.admits(lo, hi, icount: icount) else { return }
        eventsWritten &+= 1
        for line in formatter.lines(event, icount: icount) { output.write(line: line) }
    }

    public func flush() { output.flush() }
}
