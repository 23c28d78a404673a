import Foundation

/// Which JIT tiers run (`--tiers`). Blocks start in the interpreter; with the closure tier they
/// are compiled to closures when warm (`JITOptions.threshold`), and with the native tier too they
/// are compiled again to x86-64 when hot (`JITOptions.nativeThreshold`). With the native tier
/// alone, warm blocks go straight to machine code. A block the native tier cannot compile
/// (floating point, atomics, CSR accesses, misaligned-access traps) stays a closure.
public struct JITTiers: Sendable, Equatable, CustomStringConvertible {
    public var closure: Bool
    public var native: Bool

    public init(closure: Bool, native: Bool) {
        self.closure = closure
        self.native = native
    }

    /// Whether this host can run the native tier (it emits x86-64).
    public static var nativeAvailable: Bool {
        #if arch(x86_64)
        return true
        #else
        return false
        #endif
    }

    /// The fastest correct chain for the host.
    public static var hostDefault: JITTiers { JITTiers(closure: true, native: nativeAvailable) }

    /// Parses `closure`, `native` or `closure,native` (the interpreter alone is an engine, not a tier).
    public init?(parsing text: String) {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, names.allSatisfy({ $0 == "closure" || $0 == "native" }) else { return nil }
        closure = names.contains("closure")
        native = names.contains("native")
    }

    public var description: String { [closure ? "closure" : nil, native ? "native" : nil].compactMap { $0 }.joined(separator: ",") }
}
