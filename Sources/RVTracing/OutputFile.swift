#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file rvjit writes (`--trace-file`, `--cfg`), opened the way Unix tools open their output:
/// `open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666)`, so a symbolic link is followed and its
/// target written, a device or a FIFO is written in place, and nothing is ever replaced by a
/// new file. `-` is standard output. Every output file rvjit writes is opened here.
public final class OutputFile: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let owns: Bool
    /// The first write error, if any (later writes are dropped).
    public private(set) var failure: OutputFileError? = nil

    /// Opens (creating or truncating) `path`, or standard output for `-`.
    public static func open(_ path: String) throws(OutputFileError) -> OutputFile {
        if path == "-" { return OutputFile(path: path, fd: 1, owns: false) }
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw OutputFileError(path: path, errno: errno) }
        return OutputFile(path: path, fd: fd, owns: true)
    }

    /// Standard error (not closed).
    public static func standardError() -> OutputFile { OutputFile(path: "standard error", fd: 2, owns: false) }

    private init(path: String, fd: Int32, owns: Bool) {
        self.path = path
        self.fd = fd
        self.owns = owns
    }

    /// Writes all of `bytes` (retrying short writes and EINTR); records the first failure.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let start = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, start + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failure = OutputFileError(path: path, errno: errno)
                return
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }
    public func write(_ text: String) { write(Array(text.utf8)) }

    deinit {
        if owns { close(fd) }
    }
}

/// An output file that could not be opened or written.
public struct OutputFileError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var errno: Int32
    public init(path: String, errno: Int32) {
        self.path = path
        self.errno = errno
    }
    public var description: String { "cannot write \(path): \(String(cString: strerror(errno)))" }
}
