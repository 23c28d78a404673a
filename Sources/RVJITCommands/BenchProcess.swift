import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One child process run by `rvjit bench`: every engine (rvjit's interpreter, rvjit's JIT,
/// qemu-riscv32) is timed this same way, as a whole process from `posix_spawn` to `wait4`,
/// start-up included.
struct TimedProcess {
    /// Wall-clock seconds from just before `posix_spawn` to just after `wait4` returned.
    var wallSeconds: Double
    /// The child's user + system CPU seconds (`wait4`'s rusage).
    var cpuSeconds: Double
    /// How it ended: `exit(n)` or a signal.
    var termination: Termination
    /// What it wrote to fd 1 and fd 2 (read after the clock stopped).
    var stdout: String
    var stderr: String

    enum Termination: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let n): return "exit status \(n)"
            case .signalled(let s):
                let name = strsignal(s).map { String(cString: $0) } ?? "signal"
                return "killed by signal \(s) (\(name))"
            }
        }
    }

    /// Runs `executable` with `arguments` (argv[0] is the executable), stdin from /dev/null,
    /// stdout and stderr into files under `scratch`. Throws only when the child cannot be
    /// started.
    static func run(_ executable: String, _ arguments: [String], scratch: String) throws -> TimedProcess {
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        // posix_spawn and wait4, not Foundation's Process: Process polls for the child's exit,
        // which rounds short runs up to its polling interval, and does not give the rusage.
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchError.cannotStart(executable, String(cString: strerror(spawned))) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError.cannotStart(executable, "wait4: \(String(cString: strerror(errno)))") }
        }
        let end = DispatchTime.now().uptimeNanoseconds
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let signal = status & 0x7f
        func text(_ path: String) -> String { String(decoding: (try? Runner.readFile(path)) ?? [], as: UTF8.self) }
        return TimedProcess(
            wallSeconds: Double(end >= start ? end - start : 0) / 1e9,
            cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            termination: signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal),
            stdout: text(outPath), stderr: text(errPath))
    }

    /// The path of the running rvjit executable (children run it for its own engines).
    static func selfExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "rvjit").standardizedFileURL.path
    }

    /// A fresh private directory under the system's temporary directory.
    static func makeScratch() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/rvjit-bench-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else {
            throw BenchError.cannotStart("mkdtemp", String(cString: strerror(errno)))
        }
        return made
    }
}

enum BenchError: Error, CustomStringConvertible {
    case cannotStart(String, String)
    case manifest(String)

    var description: String {
        switch self {
        case .cannotStart(let what, let why): return "cannot run \(what): \(why)"
        case .manifest(let why): return why
        }
    }
}
