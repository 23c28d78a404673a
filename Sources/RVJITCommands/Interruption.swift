#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RVMachine

/// SIGINT and SIGTERM stop the guest at the next block boundary (checked at least every
/// `RunLimits.timeoutCheckInterval` instructions) instead of killing rvjit, so that a run that
/// is interrupted keeps what it had: traces are flushed, `--stats` and the profile printed, and
/// rvjit exits 128 + the signal (130, 143). The handler only stores the signal number into an
/// atomic (`StopRequest.hostSignal`); a second signal of the same kind kills rvjit as usual
/// (`SA_RESETHAND`), for a guest blocked where no boundary comes. The crash handlers of
/// `InternalError` are separate and stay.
public enum Interruption {
    static let signals: [Int32] = [SIGINT, SIGTERM]

    public static func install() {
        _ = StopRequest.hostSignal.load(ordering: .relaxed)  // initialised before any handler runs
        for s in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { n in
                StopRequest.hostSignal.store(n, ordering: .releasing)
            }
            // No SA_RESTART: a wait for gdb's connection is interrupted too.
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(s, &action, nil)
        }
        // A parent may have left them blocked (a test runner's Process does): they are wanted.
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
