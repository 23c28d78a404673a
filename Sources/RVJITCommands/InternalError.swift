#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure of rvjit itself is never mistaken for the guest's: if rvjit dies of a Swift
/// runtime trap (SIGILL, SIGTRAP), a bad access (SIGSEGV, SIGBUS) or an arithmetic fault
/// (SIGFPE), it prints one line saying so and exits with `exitStatus` (EX_SOFTWARE), which no
/// outcome rvjit chooses uses (only a guest's own `exit(70)` can give it).
public enum InternalError {
    public static let exitStatus: Int32 = 70
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE]

    /// Environment variable that makes the CLI provoke an internal error on purpose (tests):
    /// `trap` (a Swift runtime trap) or `segv` (a bad access).
    public static let testVariable = "RVJIT_TEST_INTERNAL_ERROR"

    /// Installs the handlers (once, at the start of the command line tool).
    public static func install() {
        guard messages == nil else { return }
        // Messages are made now: the handler may only call write(2) and _exit(2).
        let stride = 128
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 65 * stride)
        let lengths = UnsafeMutablePointer<Int>.allocate(capacity: 65)
        for n in 0..<65 {
            let text = Array("rvjit: internal error (signal \(n)): this is a bug in rvjit, please report it\n".utf8)
            (buffer + n * stride).initialize(from: text, count: min(text.count, stride))
            lengths[n] = min(text.count, stride)
        }
        messages = buffer
        messageLengths = lengths
        // An alternate stack, so that a host stack overflow is reported too.
        let size = 64 * 1024
        if let stack = malloc(size) {
            alternateStack = stack  // kept for the life of the process
            var ss = stack_t(ss_sp: stack, ss_flags: 0, ss_size: size)
            sigaltstack(&ss, nil)
        }
        for s in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { n in
                let k = Int(n >= 0 && n < 65 ? n : 0)
                if let m = messages, let l = messageLengths { _ = write(2, m + k * 128, l[k]) }
                _exit(InternalError.exitStatus)
            }
            action.sa_flags = Int32(SA_ONSTACK) | Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(s, &action, nil)
        }
    }

    /// Provokes the internal error named by `testVariable`, if it is set (tests only).
    public static func provokeIfAsked() {
        guard let what = getenv(testVariable).map({ String(cString: $0) }) else { return }
        switch what {
        case "segv":
            raise(SIGSEGV)
        default:
            let values = [Int](repeating: 0, count: Int(getpid() % 2 + 1))
            _ = values[values.count + Int(getppid() % 2)]  // out of range: a Swift runtime trap
        }
    }
}

nonisolated(unsafe) private var messages: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) private var messageLengths: UnsafeMutablePointer<Int>? = nil
nonisolated(unsafe) private var alternateStack: UnsafeMutableRawPointer? = nil
