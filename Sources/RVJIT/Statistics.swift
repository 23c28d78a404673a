import Foundation

/// What the JIT did during a run. Counted at translation and dispatch time only, never per
/// guest instruction; `blockExecutions` is known only when executions are counted.
public struct JITStatistics: Sendable {
    public var blocksTranslated: UInt64 = 0
    /// Of `blocksTranslated`, those compiled to x86-64 by the native tier (the rest are closures).
    public var nativeBlocksTranslated: UInt64 = 0
    /// Chain links made and removed in native code by patching a jump (each one `mprotect` twice).
    public var nativePatches: UInt64 = 0
    public var guestInstructionsTranslated: UInt64 = 0
    public var dispatcherLookups: UInt64 = 0
    public var lookupHits: UInt64 = 0
    public var chainLinksMade: UInt64 = 0
    public var invalidations: UInt64 = 0
    public var flushes: UInt64 = 0
    /// Whole-cache flushes because the cache reached `--code-cache-limit`.
    public var cacheFlushes: UInt64 = 0
    /// Blocks run by the interpreter: below the threshold, untranslatable, or single-stepped to a limit.
    public var interpreterFallbacks: UInt64 = 0
    /// Blocks fetched through Sv32 that the closure tier translated (the native tier runs no
    /// paged code: these are always closures).
    public var pagedBlocksTranslated: UInt64 = 0
    /// Blocks under Sv32 the closure tier left to the interpreter: a first instruction that
    /// straddles two pages (fetched through both mappings by the interpreter).
    public var pagedFallbacks: UInt64 = 0
    /// `sfence.vma`s seen (each unlinks the blocks fetched through what it fences)...
    public var translationFences: UInt64 = 0
    /// ...and blocks found again after one and kept (their page maps where it did).
    public var blocksReverified: UInt64 = 0
    public var monitorExits: UInt64 = 0
    public var translationSeconds: Double = 0
    /// Bytes of compiled code (slots and block records) translated during the run.
    public var codeCacheBytes: Int = 0
    /// Total entries into translated blocks, if executions were counted.
    public var blockExecutions: UInt64? = nil
    /// Of `blockExecutions`, entries into native-tier blocks (the rest ran as closures).
    public var nativeExecutions: UInt64 = 0

    public init() {}

    /// Entries into a block that came through a chain link or the jump cache, not the dispatcher.
    public var chainedEntries: UInt64? {
        blockExecutions.map { $0 > dispatcherLookups ? $0 - dispatcherLookups : 0 }
    }

    /// Blocks each tier ran: the interpreter's fallbacks, and (when executions were counted)
    /// entries into closure and native blocks.
    public func executions(of tier: Tier) -> UInt64? {
        switch tier {
        case .interp: return interpreterFallbacks
        case .closure: return blockExecutions.map { $0 &- nativeExecutions }
        case .native: return blockExecutions.map { _ in nativeExecutions }
        }
    }

    public func report() -> [String] {
        var lines = [
            "blocks translated \(blocksTranslated) (closure \(blocksTranslated - nativeBlocksTranslated), native \(nativeBlocksTranslated))",
            "guest insns translated \(guestInstructionsTranslated)",
            String(format: "avg block length  %.2f", blocksTranslated == 0 ? 0 : Double(guestInstructionsTranslated) / Double(blocksTranslated)),
            "cache lookups     \(dispatcherLookups)",
            String(format: "cache hit rate    %.2f%%", dispatcherLookups == 0 ? 0 : 100 * Double(lookupHits) / Double(dispatcherLookups)),
            "chain links made  \(chainLinksMade) (\(nativePatches) native jump patches)",
        ]
        if let e = blockExecutions, let c = chainedEntries {
            lines.append("block executions  \(e)")
            lines.append("chained entries   \(c) (links and jump cache followed without the dispatcher)")
        }
        let ran = Tier.allCases.map { t in "\(t.rawValue) \(executions(of: t).map(String.init) ?? "not counted")" }
        lines.append("blocks run        " + ran.joined(separator: ", ") + " (by tier)")
        if pagedBlocksTranslated > 0 || pagedFallbacks > 0 || translationFences > 0 {
            lines.append("paged code        \(pagedBlocksTranslated) blocks translated with Sv32 on (closure tier; the native tier runs no paged code), "
                + "\(pagedFallbacks) left to the interpreter (first instruction straddling two pages), \(translationFences) sfence.vma, "
                + "\(blocksReverified) blocks kept after one")
        }
        lines += [
            "invalidations     \(invalidations) (\(flushes) fence.i flushes, \(cacheFlushes) code cache limit flushes)",
            "interp fallbacks  \(interpreterFallbacks)",
            String(format: "translation time  %.3f ms (%.2f us per guest instruction)", translationSeconds * 1e3,
                   guestInstructionsTranslated == 0 ? 0 : translationSeconds * 1e6 / Double(guestInstructionsTranslated)),
            String(format: "code cache        %d bytes (%.1f per guest instruction)", codeCacheBytes,
                   guestInstructionsTranslated == 0 ? 0 : Double(codeCacheBytes) / Double(guestInstructionsTranslated)),
        ]
        return lines
    }
}
