import ArgumentParser

/// A size on the command line: bytes, or a number with K, M or G (powers of 1024), e.g. `256M`.
public struct ByteSize: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    public var bytes: UInt64

    public init(bytes: UInt64) { self.bytes = bytes }

    public init?(argument: String) {
        var text = argument.uppercased()
        if text.hasSuffix("B") { text.removeLast() }
        if text.hasSuffix("I") { text.removeLast() }  // KiB, MiB, GiB
        var shift: UInt64 = 0
        switch text.last {
        case "K": shift = 10
        case "M": shift = 20
        case "G": shift = 30
        default: break
        }
        if shift > 0 { text.removeLast() }
        guard let n = UInt64(text), n <= UInt64.max >> shift else { return nil }
        bytes = n << shift
    }

    public var description: String {
        for (shift, suffix) in [(30, "G"), (20, "M"), (10, "K")] where bytes > 0 && bytes % (1 << UInt64(shift)) == 0 {
            return "\(bytes >> UInt64(shift))\(suffix)"
        }
        return "\(bytes)"
    }

    public var defaultValueDescription: String { description }
}

/// Resource limits of a run (`--memory-limit`, `--timeout`, `--file-size-limit`,
/// `--code-cache-limit`), with their defaults.
public enum RunLimits {
    public static let memory = ByteSize(bytes: 256 << 20)
    public static let fileSize = ByteSize(bytes: 1 << 30)
    public static let codeCache = ByteSize(bytes: 64 << 20)
    /// With `--timeout`, the executors check for the stop at least this often (instructions).
    public static let timeoutCheckInterval: UInt64 = 1 << 20
}
