#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLibFFI

/// One host directory the guest may see (`--dir HOST[:GUEST]`, `--dir-ro HOST[:GUEST]`).
public struct DirectoryMapping: Sendable, Equatable {
    public var hostPath: String
    /// The absolute path under which the guest sees it (the host path when not given).
    public var guestPath: String
    public var readOnly: Bool

    public init(hostPath: String, guestPath: String? = nil, readOnly: Bool = false) {
        self.hostPath = hostPath
        self.guestPath = guestPath ?? hostPath
        self.readOnly = readOnly
    }

    /// Parses `HOST[:GUEST]`.
    public init(argument: String, readOnly: Bool) {
        if let colon = argument.lastIndex(of: ":"), colon != argument.startIndex {
            self.init(
                hostPath: String(argument[..<colon]), guestPath: String(argument[argument.index(after: colon)...]),
                readOnly: readOnly)
        } else {
            self.init(hostPath: argument, readOnly: readOnly)
        }
    }
}

/// How a guest path resolved.
enum ResolvedPath {
    /// Inside a mapping: `parent` is relative to the mapping's root ("." for the root itself) and
    /// holds no symbolic link and no `..`; `name` is one component ("." for the root itself).
    /// `exists` is false for a missing last component (creation).
    case host(mapping: Int, parent: String, name: String, guest: [String], exists: Bool)
    /// An ancestor of a mapping (e.g. "/" or "/tmp"): a directory the guest can traverse and stat
    /// but not list or change (it behaves as mode 0111).
    case virtualDirectory(guest: [String])
    /// A missing name directly inside a virtual directory.
    case virtualMissing(guest: [String])
}

/// The guest's view of the host file system: the mapped directories and their ancestors.
///
/// Paths are resolved component by component at the guest level: `.` is skipped, `..` goes up one
/// guest component (never above "/"), and every component inside a mapping is looked up on the
/// host with `fstatat(AT_SYMLINK_NOFOLLOW)` relative to the mapping's root descriptor. A symbolic
/// link is read with `readlinkat` and its target resolved again as a guest path (absolute targets
/// from the guest's "/", relative ones from the link's directory), so a link can only ever lead
/// to another place the guest may see. The host call then gets a parent directory descriptor
/// opened beneath the mapping root (`openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` when the
/// kernel has it) and a single last component, with symlink following turned off.
public final class Sandbox {
    public let mappings: [DirectoryMapping]
    /// Host descriptors (HostOpen.path) of each mapping root, -1 where the directory could not be opened.
    let rootFDs: [Int32]
    let guestComponents: [[String]]
    /// The guest's current directory, as components.
    public private(set) var cwd: [String]
    private var hasOpenat2: Bool = true

    public init(mappings: [DirectoryMapping], hostCwd: String? = nil) {
        let base = hostCwd ?? Sandbox.hostCurrentDirectory()
        var list: [DirectoryMapping] = []
        var fds: [Int32] = []
        var comps: [[String]] = []
        for var m in mappings {
            if !m.hostPath.hasPrefix("/") { m.hostPath = base + "/" + m.hostPath }
            if !m.guestPath.hasPrefix("/") { m.guestPath = base + "/" + m.guestPath }
            let c = Sandbox.normalize(m.guestPath)
            m.guestPath = Sandbox.join(c)
            list.append(m)
            fds.append(open(m.hostPath, HostOpen.path | O_DIRECTORY | O_CLOEXEC))
            comps.append(c)
        }
        self.mappings = list
        rootFDs = fds
        guestComponents = comps
        cwd = comps.first ?? []
    }

    deinit {
        for fd in rootFDs where fd >= 0 { close(fd) }
    }

    static func hostCurrentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Lexical normalisation of an absolute path into components (`..` stops at "/").
    static func normalize(_ path: String) -> [String] {
        var out: [String] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." { _ = out.popLast(); continue }
            out.append(String(c))
        }
        return out
    }

    static func join(_ components: [String]) -> String { "/" + components.joined(separator: "/") }

    public var cwdPath: String { Sandbox.join(cwd) }

    /// The mapping holding `components` (longest guest prefix), if any.
    func mapping(for components: [String]) -> Int? {
        var best: Int? = nil
        for (i, g) in guestComponents.enumerated() where rootFDs[i] >= 0 {
            if components.count >= g.count, Array(components.prefix(g.count)) == g {
                if let b = best, g.count <= guestComponents[b].count { continue }
                best = i
            }
        }
        return best
    }

    func isVirtualAncestor(_ components: [String]) -> Bool {
        for (i, g) in guestComponents.enumerated() where rootFDs[i] >= 0 {
            if g.count > components.count, Array(g.prefix(components.count)) == components { return true }
        }
        return false
    }

    /// Resolves `path` relative to `base` (guest components of the starting directory).
    /// Returns a negative errno when the path does not exist or may not be reached.
    func resolve(_ path: String, from base: [String], followFinal: Bool) -> Result<ResolvedPath, SandboxError> {
        guard !path.isEmpty else { return .failure(.errno(ENOENT, denied: false)) }
        var current: [String] = path.hasPrefix("/") ? [] : base
        // Components still to walk, in reverse order (the next one is last).
        var work: [String] = path.split(separator: "/", omittingEmptySubsequences: true).reversed().map(String.init)
        let trailingSlash = path.hasSuffix("/")
        var links = 0
        var lastExists = true
        while let c = work.popLast() {
            if c == "." { continue }
            if c == ".." {
                _ = current.popLast()
                continue
            }
            let candidate = current + [c]
            guard let m = mapping(for: candidate) else {
                if isVirtualAncestor(candidate) {
                    current = candidate
                    continue
                }
                // Not visible to the guest (`current` is "/" or a virtual ancestor here).
                if work.isEmpty { return .success(.virtualMissing(guest: candidate)) }
                return .failure(.errno(ENOENT, denied: true))
            }
            let rel = candidate.dropFirst(guestComponents[m].count)
            if rel.isEmpty {
                current = candidate
                continue
            }
            var st = stat()
            let relPath = rel.joined(separator: "/")
            if fstatat(rootFDs[m], relPath, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                let e = errno
                if e == ENOENT && work.isEmpty {
                    current = candidate
                    lastExists = false
                    break
                }
                return .failure(.errno(e, denied: false))
            }
            if st.st_mode & S_IFMT == S_IFLNK && (!work.isEmpty || followFinal) {
                links += 1
                guard links <= 40 else { return .failure(.errno(ELOOP, denied: false)) }
                var buffer = [CChar](repeating: 0, count: 4097)
                let n = readlinkat(rootFDs[m], relPath, &buffer, 4096)
                guard n > 0 else { return .failure(.errno(n < 0 ? errno : ENOENT, denied: false)) }
                let target = String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target.hasPrefix("/") { current = [] }
                work.append(contentsOf: target.split(separator: "/", omittingEmptySubsequences: true).reversed().map(String.init))
                continue
            }
            if !work.isEmpty && st.st_mode & S_IFMT != S_IFDIR { return .failure(.errno(ENOTDIR, denied: false)) }
            if work.isEmpty && trailingSlash && st.st_mode & S_IFMT != S_IFDIR {
                return .failure(.errno(ENOTDIR, denied: false))
            }
            current = candidate
        }
        guard let m = mapping(for: current) else {
            if current.isEmpty || isVirtualAncestor(current) { return .success(.virtualDirectory(guest: current)) }
            return .failure(.errno(ENOENT, denied: true))
        }
        let rel = Array(current.dropFirst(guestComponents[m].count))
        if rel.isEmpty {
            return .success(.host(mapping: m, parent: ".", name: ".", guest: current, exists: true))
        }
        let parent = rel.count > 1 ? rel.dropLast().joined(separator: "/") : "."
        return .success(.host(mapping: m, parent: parent, name: rel[rel.count - 1], guest: current, exists: lastExists))
    }

    /// Opens the parent directory of a resolved host path beneath its mapping root (HostOpen.path).
    func openParent(mapping m: Int, parent: String) -> Int32 {
        if hasOpenat2 {
            var how = OpenHow(flags: UInt64(HostOpen.path | O_DIRECTORY | O_CLOEXEC), mode: 0, resolve: 0x08 | 0x04 | 0x02)
            let fd = withUnsafeMutablePointer(to: &how) { p in
                rvjit_openat2(rootFDs[m], parent, p, MemoryLayout<OpenHow>.size)
            }
            if fd >= 0 { return Int32(fd) }
            if errno == ENOSYS { hasOpenat2 = false } else { return errno == ELOOP || errno == EXDEV ? -EACCES : -errno }
        }
        let fd = openat(rootFDs[m], parent, HostOpen.path | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        return fd >= 0 ? fd : -errno
    }

    func rootFD(_ m: Int) -> Int32 { rootFDs[m] }

    /// Changes the guest's current directory (no chdir syscall is wired yet; used by tests).
    public func setCwd(_ path: String) { cwd = Sandbox.normalize(path.hasPrefix("/") ? path : cwdPath + "/" + path) }
}

struct OpenHow {
    var flags: UInt64
    var mode: UInt64
    var resolve: UInt64
}

enum SandboxError: Error {
    case errno(Int32, denied: Bool)
}

/// Open flags glibc hides without _GNU_SOURCE (asm-generic values, the same on riscv32 and x86-64).
enum HostOpen {
    static let path: Int32 = 0o10000000
}
