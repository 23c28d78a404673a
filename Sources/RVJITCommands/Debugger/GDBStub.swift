import Foundation
import RISCV
import RVJIT
import RVMachine
import RVTracing
import Synchronization

/// Where `--gdb` listens: `[HOST:]PORT`, 127.0.0.1 unless a host is given.
public struct GDBEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String = "127.0.0.1", port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `PORT` or `HOST:PORT` (an IPv4 address, or `localhost`).
    public init(parsing text: String) throws(GDBEndpointError) {
        var host = "127.0.0.1"
        var portText = Substring(text)
        if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            if host == "localhost" { host = "127.0.0.1" }
            var probe = in_addr()
            guard inet_pton(AF_INET, host, &probe) == 1 else { throw GDBEndpointError(text: text, why: "'\(host)' is not an IPv4 address") }
        }
        guard let port = UInt16(portText) else { throw GDBEndpointError(text: text, why: "the port must be a number from 0 to 65535") }
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}

public struct GDBEndpointError: Error, CustomStringConvertible, Sendable {
    var text: String
    var why: String
    public var description: String { "--gdb \(text): \(why)" }
}

/// A TCP connection to one gdb client (blocking reads, writes that never raise SIGPIPE).
final class GDBConnection: @unchecked Sendable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    /// Listens on `endpoint`, tells `announce` the address actually bound (port 0 picks one),
    /// and accepts one client.
    static func accept(on endpoint: GDBEndpoint, announce: (GDBEndpoint) -> Void) throws -> GDBConnection {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw RunError.gdb("socket: \(String(cString: strerror(errno)))") }
        defer { close(listener) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = endpoint.port.bigEndian
        guard inet_pton(AF_INET, endpoint.host, &address.sin_addr) == 1 else { throw RunError.gdb("bad address \(endpoint.host)") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw RunError.gdb("cannot listen on \(endpoint): \(String(cString: strerror(errno)))") }
        guard listen(listener, 1) == 0 else { throw RunError.gdb("listen: \(String(cString: strerror(errno)))") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        announce(GDBEndpoint(host: endpoint.host, port: UInt16(bigEndian: actual.sin_port)))
        while true {
            let client = Glibc.accept(listener, nil, nil)
            if client >= 0 {
                setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return GDBConnection(fd: client)
            }
            if errno != EINTR { throw RunError.gdb("accept: \(String(cString: strerror(errno)))") }
            // A stop request (SIGINT, SIGTERM) while waiting ends the wait.
            if let why = StopRequest.hostSignalReason { throw RunError.gdb("interrupted while waiting for gdb (\(why))") }
        }
    }

    /// The next bytes, or nil when the client is gone.
    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n < 0 && errno == EINTR {
                if StopRequest.hostSignalReason != nil { return nil }
                continue
            }
            return nil
        }
    }

    /// False when the client is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }
}

extension StopRequest {
    /// The signal rvjit received, if any (for waits outside the executors).
    static var hostSignalReason: Int32? {
        let s = hostSignal.load(ordering: .acquiring)
        return s == 0 ? nil : s
    }
}

/// While the guest runs, watches the connection for Ctrl-C (0x03) and for the client going
/// away, and turns either into a stop request that the executors see at their next block
/// boundary.
final class InterruptWatcher: @unchecked Sendable {
    private let fd: Int32
    private let request: StopRequest
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let gone = Atomic<Bool>(false)

    init(fd: Int32, request: StopRequest) {
        self.fd = fd
        self.request = request
    }

    var disconnected: Bool { gone.load(ordering: .acquiring) }

    func start() {
        running.store(true, ordering: .releasing)
        Thread.detachNewThread { [self] in
            defer { finished.signal() }
            while running.load(ordering: .acquiring) {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 20) > 0 else { continue }
                var byte: UInt8 = 0
                let n = recv(fd, &byte, 1, 0)
                if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) {
                    gone.store(true, ordering: .releasing)
                    request.request(.aborted("the debugger disconnected"))
                    return
                }
                if n == 1 && byte == 0x03 { request.request(.interrupted) }
            }
        }
    }

    func stop() {
        running.store(false, ordering: .releasing)
        finished.wait()
    }
}

/// A gdb remote-protocol session over one connection: serves packets while the guest is
/// stopped, runs it on `c`/`s`, and reports each stop. Returns how the run ended.
final class GDBSession {
    let machine: Machine
    let engine: DebugEngine
    let connection: GDBConnection
    let target: TargetDescription
    let debug: DebugState
    /// Hardware breakpoints (`Z1`), to say `hwbreak` rather than `swbreak` when one is hit.
    var hardwareBreakpoints: Set<UInt32> = []
    /// The last stop reported (nil: before the first instruction).
    var stop: StopReason? = nil
    var lastReply: [UInt8] = []

    init(machine: Machine, engine: DebugEngine, connection: GDBConnection) {
        self.machine = machine
        self.engine = engine
        self.connection = connection
        target = .riscv32(machine: machine)
        debug = machine.attachDebugger()
        // The executors look at stop requests (Ctrl-C) at least this often.
        if machine.stopCheckInterval.map({ $0 > 1 << 16 }) ?? true { machine.stopCheckInterval = 1 << 16 }
    }

    /// What a packet asks for.
    enum Action: Equatable {
        case reply(String)
        case resume(step: Bool)
        case kill(reply: Bool)
        case detach
    }

    /// Serves the client until the run ends; returns the stop that ended it.
    func serve() -> StopReason {
        var reader = RemoteProtocol.Reader()
        while true {
            guard let chunk = connection.read() else { return .aborted("the debugger disconnected") }
            for (index, byte) in chunk.enumerated() {
                guard let input = reader.feed(byte) else { continue }
                switch input {
                case .corrupt:
                    connection.send([0x2d])  // NAK: please send again
                case .ack(let ok):
                    if !ok && !lastReply.isEmpty { connection.send(lastReply) }
                case .interrupt:
                    break  // already stopped
                case .packet(let payload):
                    connection.send([0x2b])
                    switch handle(payload) {
                    case .reply(let text):
                        reply(text)
                    case .kill(let sendOK):
                        if sendOK { reply("OK") }
                        return .aborted("killed by the debugger")
                    case .detach:
                        reply("OK")
                        return detachAndRun()
                    case .resume(let step):
                        if case .fault(let trap) = stop {
                            // A Linux process dies of the signal it was stopped with.
                            reply("X" + String(format: "%02x", trap.cause.signal))
                            return .fault(trap)
                        }
                        // A Ctrl-C that came with the resume packet is for the run about to start.
                        let interrupt = chunk[(index + 1)...].contains(0x03)
                        let (why, disconnected) = resume(step: step, interrupted: interrupt)
                        if disconnected { return why }
                        stop = why
                        reply(stopPacket(why))
                        if !why.isResumable, !isFault(why) { return why }
                    }
                }
            }
        }
    }

    private func isFault(_ s: StopReason) -> Bool {
        if case .fault = s { return true }
        return false
    }

    private func reply(_ text: String) {
        lastReply = RemoteProtocol.frame(text)
        connection.send(lastReply)
    }

    /// `D`: breakpoints and watchpoints go; the guest runs on to its end without the debugger.
    private func detachAndRun() -> StopReason {
        machine.detachDebugger()
        if let s = stop, !s.isResumable { return s }
        machine.resume()
        engine.run()
        return machine.stopReason ?? .aborted("the engine returned without a stop reason")
    }

    /// Runs the guest (or steps it); returns the stop, and whether the client went away.
    func resume(step: Bool, interrupted: Bool = false) -> (StopReason, Bool) {
        machine.resume()
        if interrupted { machine.stopRequest.request(.interrupted) }
        if step {
            debug.breakpointsEnabled = false
            engine.step()
            debug.breakpointsEnabled = true
            return (machine.stopReason ?? .stepped, false)
        }
        if debug.breakpoints.contains(machine.pc) {
            // Continuing from a breakpoint: its instruction runs once before the breakpoints do.
            debug.breakpointsEnabled = false
            engine.step()
            debug.breakpointsEnabled = true
            if let s = machine.stopReason { return (s, false) }
        }
        let watcher = InterruptWatcher(fd: connection.fd, request: machine.stopRequest)
        watcher.start()
        engine.run()
        watcher.stop()
        let why = machine.stopReason ?? .aborted("the engine returned without a stop reason")
        return (why, watcher.disconnected)
    }

    /// The stop reply for `why` (`T`, `W` or `X`).
    func stopPacket(_ why: StopReason?) -> String {
        guard let why else { return "S05" }
        func hex8(_ v: UInt32) -> String { String(v, radix: 16) }
        switch why {
        case .breakpoint(let pc): return hardwareBreakpoints.contains(pc) ? "T05hwbreak:;" : "T05swbreak:;"
        case .watchpoint(let kind, let address):
            let name: String
            switch kind {
            case .write: name = "watch"
            case .read: name = "rwatch"
            case .access: name = "awatch"
            }
            return "T05\(name):\(hex8(address));"
        case .stepped: return "T05"
        case .interrupted: return "T02"
        case .fault(let trap): return "T" + String(format: "%02x", trap.cause.signal)
        case .exited(let code): return "W" + String(format: "%02x", code & 0xff)
        case .budgetExhausted: return "X18"  // SIGXCPU
        case .timedOut: return "X0e"  // SIGALRM
        case .signalled(let n): return "X" + String(format: "%02x", n & 0xff)
        case .aborted: return "X09"
        }
    }

    // MARK: Packets

    /// Answers one packet (public to the tests through `handle`).
    func handle(_ p: [UInt8]) -> Action {
        guard let first = p.first else { return .reply("") }
        let rest = p[1...]
        let text = String(decoding: p, as: UTF8.self)
        switch first {
        case UInt8(ascii: "?"): return .reply(stopPacket(stop))
        case UInt8(ascii: "g"):
            let regs = target.registers.prefix(target.generalCount)
            return .reply(regs.map { RemoteProtocol.hexLE($0.read(machine), bytes: $0.bits / 8) }.joined())
        case UInt8(ascii: "G"):
            let count = target.generalCount
            guard rest.count == 8 * count else { return .reply("E01") }
            var values: [UInt32] = []
            var i = rest.startIndex
            while i < rest.endIndex {
                guard let v = RemoteProtocol.littleEndian(rest[i..<(i + 8)]) else { return .reply("E01") }
                values.append(v)
                i += 8
            }
            for (r, v) in zip(target.registers.prefix(count), values) { r.write(machine, UInt64(v)) }
            return .reply("OK")
        case UInt8(ascii: "p"):
            guard let n = RemoteProtocol.number(rest), n < target.registers.count else { return .reply("E01") }
            let r = target.registers[Int(n)]
            return .reply(RemoteProtocol.hexLE(r.read(machine), bytes: r.bits / 8))
        case UInt8(ascii: "P"):
            let parts = RemoteProtocol.fields(rest, separators: [UInt8(ascii: "=")])
            guard parts.count == 2, let n = RemoteProtocol.number(parts[0]), n < target.registers.count,
                let v = RemoteProtocol.littleEndian(parts[1], bytes: target.registers[Int(n)].bits / 8)
            else { return .reply("E01") }
            target.registers[Int(n)].write(machine, v)
            return .reply("OK")
        case UInt8(ascii: "m"):
            let parts = RemoteProtocol.fields(rest)
            guard parts.count == 2, let address = RemoteProtocol.number(parts[0]), let length = RemoteProtocol.number(parts[1])
            else { return .reply("E01") }
            let n = min(length, UInt32(RemoteProtocol.maxPacket / 2 - 16))
            if machine.fetchTranslation || machine.dataTranslation {
                // Under Sv32 gdb's addresses are the hart's (virtual): each byte where it maps now.
                var bytes: [UInt8] = []
                for i in 0..<n {
                    guard let pa = machine.debuggerPhysical(address &+ i), machine.debuggerCanRead(pa, length: 1) else { return .reply("E14") }
                    bytes.append(machine.memory.host(pa).load(as: UInt8.self))
                }
                return .reply(RemoteProtocol.hex(bytes))
            }
            guard machine.debuggerCanRead(address, length: n) else { return .reply("E14") }
            let bytes = (0..<n).map { machine.memory.host(address &+ $0).load(as: UInt8.self) }
            return .reply(RemoteProtocol.hex(bytes))
        case UInt8(ascii: "M"), UInt8(ascii: "X"):
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")) else { return .reply("E01") }
            let parts = RemoteProtocol.fields(rest[..<colon])
            guard parts.count == 2, let address = RemoteProtocol.number(parts[0]), let length = RemoteProtocol.number(parts[1])
            else { return .reply("E01") }
            let data = rest[(colon + 1)...]
            let decoded = first == UInt8(ascii: "M") ? RemoteProtocol.bytes(hex: data) : RemoteProtocol.unescape(data)
            guard let bytes = decoded, UInt64(bytes.count) == UInt64(length) else { return .reply("E01") }
            if bytes.isEmpty { return .reply("OK") }
            if machine.fetchTranslation || machine.dataTranslation {
                // Under Sv32, byte by byte where each maps now (through the one host-write path).
                for (i, byte) in bytes.enumerated() {
                    guard let pa = machine.debuggerPhysical(address &+ UInt32(truncatingIfNeeded: i)),
                        machine.debuggerCanRead(pa, length: 1), machine.hostWrite(pa, [byte], requiring: 0)
                    else { return .reply("E14") }
                }
                return .reply("OK")
            }
            // The one host-write path: translations of the range are dropped as for a guest store.
            guard machine.debuggerCanRead(address, length: length), machine.hostWrite(address, bytes, requiring: 0)
            else { return .reply("E14") }
            return .reply("OK")
        case UInt8(ascii: "c"), UInt8(ascii: "s"), UInt8(ascii: "C"), UInt8(ascii: "S"):
            // `c [addr]`, `C sig[;addr]`: the signal is not delivered (no guest signals).
            var addressText = rest[...]
            if first == UInt8(ascii: "C") || first == UInt8(ascii: "S") {
                let parts = RemoteProtocol.fields(rest, separators: [UInt8(ascii: ";")])
                guard let sig = parts.first, RemoteProtocol.number(sig) != nil else { return .reply("E01") }
                addressText = parts.count > 1 ? parts[1] : []
            }
            if !addressText.isEmpty {
                guard let address = RemoteProtocol.number(addressText) else { return .reply("E01") }
                machine.pc = address
            }
            return .resume(step: first == UInt8(ascii: "s") || first == UInt8(ascii: "S"))
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            return .reply(breakpoint(insert: first == UInt8(ascii: "Z"), rest))
        case UInt8(ascii: "H"): return .reply("OK")
        case UInt8(ascii: "T"): return .reply("OK")
        case UInt8(ascii: "k"): return .kill(reply: false)
        case UInt8(ascii: "D"): return .detach
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), UInt8(ascii: "v"):
            return query(text)
        default:
            return .reply("")
        }
    }

    private func breakpoint(insert: Bool, _ rest: ArraySlice<UInt8>) -> String {
        let parts = RemoteProtocol.fields(rest)
        guard parts.count >= 3, parts[0].count == 1, let type = parts[0].first,
            let address = RemoteProtocol.number(parts[1]), let kind = RemoteProtocol.number(parts[2])
        else { return "E01" }
        switch type {
        case UInt8(ascii: "0"), UInt8(ascii: "1"):
            guard kind == 2 || kind == 4 else { return "E22" }
            if insert { machine.insertBreakpoint(address) } else { machine.removeBreakpoint(address) }
            if type == UInt8(ascii: "1") {
                if insert { hardwareBreakpoints.insert(address) } else { hardwareBreakpoints.remove(address) }
            }
            return "OK"
        case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"):
            let watch: WatchKind = type == UInt8(ascii: "2") ? .write : type == UInt8(ascii: "3") ? .read : .access
            if insert {
                return machine.insertWatchpoint(watch, address: address, length: kind) ? "OK" : "E22"
            }
            machine.removeWatchpoint(watch, address: address, length: kind)
            return "OK"
        default:
            return ""  // unsupported type
        }
    }

    private func query(_ text: String) -> Action {
        if text.hasPrefix("qSupported") {
            return .reply("PacketSize=\(String(RemoteProtocol.maxPacket, radix: 16));qXfer:features:read+;swbreak+;hwbreak+;vContSupported+")
        }
        if text.hasPrefix("qXfer:features:read:") {
            let args = text.dropFirst("qXfer:features:read:".count).split(separator: ":", omittingEmptySubsequences: false)
            guard args.count == 2, args[0] == "target.xml" else { return .reply("E00") }
            let range = args[1].split(separator: ",", omittingEmptySubsequences: false)
            guard range.count == 2, let offset = RemoteProtocol.number(Array(range[0].utf8)),
                let length = RemoteProtocol.number(Array(range[1].utf8))
            else { return .reply("E01") }
            let xml = Array(target.xml.utf8)
            let start = min(Int(offset), xml.count)
            let end = min(start + min(Int(length), RemoteProtocol.maxPacket / 2), xml.count)
            let chunk = String(decoding: xml[start..<end], as: UTF8.self)
            return .reply((end >= xml.count ? "l" : "m") + chunk)
        }
        if text.hasPrefix("qRcmd,") {
            guard let command = RemoteProtocol.bytes(hex: Array(text.utf8).dropFirst("qRcmd,".count)) else { return .reply("E01") }
            let output = monitor(String(decoding: command, as: UTF8.self))
            if !output.isEmpty { connection.send(RemoteProtocol.frame("O" + RemoteProtocol.hex(Array(output.utf8)))) }
            return .reply("OK")
        }
        switch text {
        case "qAttached": return .reply("0")
        case "qC": return .reply("QC1")
        case "qfThreadInfo": return .reply("m1")
        case "qsThreadInfo": return .reply("l")
        case "qSymbol::": return .reply("OK")
        case "vCont?": return .reply("vCont;c;C;s;S")
        default: break
        }
        if text.hasPrefix("vKill") { return .kill(reply: true) }
        if text.hasPrefix("vCont;") {
            // All-stop with one thread: the first action decides.
            guard let action = text.dropFirst("vCont;".count).first else { return .reply("E01") }
            switch action {
            case "c", "C": return .resume(step: false)
            case "s", "S": return .resume(step: true)
            default: return .reply("E01")
            }
        }
        return .reply("")
    }

    // MARK: monitor

    /// `monitor CMD` (qRcmd): `engine`, `stats`, `trace on [PATH]`, `trace off`, `help`.
    func monitor(_ command: String) -> String {
        let words = command.split(separator: " ").map(String.init)
        switch words.first ?? "help" {
        case "engine":
            var s = "engine: \(engine.kind.rawValue)"
            if engine.trace != nil { s += " (the interpreter runs everything while the trace is on)" }
            return s + "\n"
        case "stats":
            var lines = ["instructions retired \(machine.instret)", "pc 0x\(String(machine.pc, radix: 16))"]
            if let jit = engine.jit { lines += jit.statistics.report() }
            lines.append("breakpoints \(debug.breakpoints.count), watchpoints \(debug.watchpoints.count)")
            return lines.joined(separator: "\n") + "\n"
        case "trace":
            switch words.count > 1 ? words[1] : "" {
            case "on":
                let path = words.count > 2 ? words[2] : "-"
                do {
                    engine.trace?.flush()
                    engine.trace = path == "-" ? .standardError() : try TraceOutput.file(path)
                    engine.traced = 0
                    return "tracing retired instructions to \(path == "-" ? "standard error" : path)\n"
                } catch {
                    return "cannot trace to \(path): \(error)\n"
                }
            case "off":
                guard let t = engine.trace else { return "no trace is on\n" }
                t.flush()
                engine.trace = nil
                return "trace off: \(engine.traced) instructions\n"
            default:
                return "usage: monitor trace on [PATH] | monitor trace off\n"
            }
        default:
            return "monitor commands: engine, stats, trace on [PATH], trace off, help\n"
        }
    }
}
