import Foundation

/// An `rvjit run --gdb 127.0.0.1:0 …` process: the port it listens on (read from its standard
/// error), its exit, and a guard against hangs (a process still running after `bound` seconds
/// is killed and the wait fails with that reason).
public final class StubProcess: @unchecked Sendable {
    public let process = Process()
    public private(set) var port: UInt16 = 0
    private let errPipe = Pipe()
    private var errText = ""
    private let lock = NSLock()
    private let exited = DispatchSemaphore(value: 0)

    public struct Hang: Error, CustomStringConvertible {
        public var what: String
        public var description: String { "\(what) did not finish within the bound and was killed" }
    }

    public init(_ arguments: [String]) throws {
        guard let rvjit = rvjitExecutable else { throw Hang(what: "the rvjit executable is not built") }
        process.executableURL = URL(fileURLWithPath: rvjit)
        process.arguments = ["run", "--gdb", "127.0.0.1:0"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errPipe
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        // Read standard error until the port is announced (or rvjit exits).
        let reader = errPipe.fileHandleForReading
        let deadline = Date().addingTimeInterval(60)
        while port == 0 && Date() < deadline {
            let data = reader.availableData
            if data.isEmpty { break }
            lock.withLock { errText += String(decoding: data, as: UTF8.self) }
            if let range = stderr.range(of: #"waiting for gdb on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let p = UInt16(stderr[range].split(separator: ":").last ?? "")
            {
                port = p
            }
        }
        // Keep draining, so that rvjit never blocks on a full pipe.
        Thread.detachNewThread { [self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { return }
                lock.withLock { errText += String(decoding: data, as: UTF8.self) }
            }
        }
        if port == 0 {
            process.terminate()
            throw Hang(what: "rvjit announcing its port (stderr: \(stderr))")
        }
    }

    public var stderr: String { lock.withLock { errText } }

    /// Waits for the exit; kills the process and throws after `bound` seconds.
    public func wait(bound: Double = 120) throws -> Int32 {
        if exited.wait(timeout: .now() + bound) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 10)
            throw Hang(what: "rvjit \(process.arguments ?? [])")
        }
        Thread.sleep(forTimeInterval: 0.05)  // the drain thread's last read
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}

/// Runs a program to its end with a bound: (status, stdout and stderr together); a program still
/// running after `bound` seconds is killed and the call throws `StubProcess.Hang`.
public func runBounded(_ executable: String, _ arguments: [String], bound: Double = 120) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    p.standardInput = FileHandle.nullDevice
    let done = DispatchSemaphore(value: 0)
    p.terminationHandler = { _ in done.signal() }
    try p.run()
    final class Box: @unchecked Sendable { var data = Data(); let lock = NSLock() }
    let box = Box()
    let reading = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        box.lock.withLock { box.data = data }
        reading.signal()
    }
    if done.wait(timeout: .now() + bound) == .timedOut {
        kill(p.processIdentifier, SIGKILL)
        _ = done.wait(timeout: .now() + 10)
        throw StubProcess.Hang(what: "\(executable) \(arguments.joined(separator: " "))")
    }
    _ = reading.wait(timeout: .now() + 10)
    return (p.terminationStatus, box.lock.withLock { String(decoding: box.data, as: UTF8.self) })
}

/// A minimal remote-protocol client over loopback, for malformed-input tests. Reads time out
/// (a hang guard), they never block forever.
public final class RemoteClient {
    let fd: Int32

    public init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))  // as gdb does
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { Glibc.close(fd); throw StubProcess.Hang(what: "connecting to 127.0.0.1:\(port)") }
    }

    deinit { close() }

    private var closed = false
    public func close() {
        if !closed { Glibc.close(fd); closed = true }
    }

    public func sendRaw(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    public func sendRaw(_ text: String) { sendRaw(Array(text.utf8)) }

    /// `$payload#checksum`.
    public func send(_ payload: String) {
        let sum = payload.utf8.reduce(UInt8(0)) { $0 &+ $1 }
        sendRaw("$" + payload + "#" + String(format: "%02x", sum))
    }

    private var pending: [UInt8] = []

    /// The next byte, or nil on timeout or end of stream.
    public func byte() -> UInt8? {
        if pending.isEmpty {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            pending = Array(buffer[0..<n])
        }
        return pending.removeFirst()
    }

    /// The next packet's payload (skipping acknowledgements), or nil.
    public func packet() -> String? {
        while let b = byte() {
            guard b == UInt8(ascii: "$") else { continue }
            var payload: [UInt8] = []
            while let c = byte(), c != UInt8(ascii: "#") { payload.append(c) }
            _ = byte(); _ = byte()
            sendRaw("+")
            return String(decoding: payload, as: UTF8.self)
        }
        return nil
    }

    /// Sends a packet and returns the reply (`+` and `O` output packets skipped).
    public func request(_ payload: String) -> String? {
        send(payload)
        while let p = packet() {
            if p.hasPrefix("O") && p != "OK" { continue }
            return p
        }
        return nil
    }
}
