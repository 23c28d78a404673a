#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import RVMachine

/// mmap, munmap and mprotect, emulated inside guest memory. Regions without MAP_FIXED are handed
/// out downward from `ProcessLayout.mmapTop` (exclusive: 0x70000000 itself stays unmapped) and
/// never below the heap limit.
extension SyscallBridge {
    static let MAP_SHARED: UInt32 = 0x01, MAP_PRIVATE: UInt32 = 0x02, MAP_FIXED: UInt32 = 0x10
    static let MAP_ANONYMOUS: UInt32 = 0x20, MAP_FIXED_NOREPLACE: UInt32 = 0x100000

    static func pagePerms(_ prot: UInt32) -> UInt8 {
        var p: UInt8 = 0
        if prot & 1 != 0 { p |= PageFlag.read }
        if prot & 2 != 0 { p |= PageFlag.rw }
        if prot & 4 != 0 { p |= PageFlag.rx }
        return p
    }

    func inMmapRegion(_ page: UInt32) -> Bool {
        let a = page << GuestMemory.pageShift
        return mmapRegions.contains { a >= $0.start && a < $0.end }
    }

    /// Whether the page is in use: it has permissions or belongs to an mmap region (PROT_NONE).
    func pageInUse(_ machine: Machine, _ page: UInt32) -> Bool {
        machine.memory.flags[Int(page)] & PageFlag.rwx != 0 || inMmapRegion(page)
    }

    func findFree(_ machine: Machine, length: UInt32) -> UInt32? {
        let shift = GuestMemory.pageShift
        let floor = machine.process.brkLimit
        var end = machine.process.mmapTop & ~(GuestMemory.pageSize - 1)
        while end >= floor, end - floor >= length {
            let start = end - length
            var page = (end >> shift) - 1
            var blocked: UInt32? = nil
            while page >= start >> shift {
                if pageInUse(machine, page) { blocked = page; break }
                if page == 0 { break }
                page -= 1
            }
            guard let b = blocked else { return start }
            end = b << shift
        }
        return nil
    }

    /// Invalidates translations made from pages in the range (their contents or rights change).
    func codePagesChanged(_ machine: Machine, _ start: UInt32, _ length: UInt32) {
        guard length > 0, let observer = machine.codeObserver else { return }
        let first = start >> GuestMemory.pageShift
        let last = UInt32((UInt64(start) + UInt64(length) - 1) >> UInt64(GuestMemory.pageShift))
        for page in first...last where machine.memory.flags[Int(page)] & PageFlag.code != 0 {
            observer.codeWritten(machine, address: page << GuestMemory.pageShift, size: GuestMemory.pageSize)
        }
    }

    func addRegion(_ start: UInt32, _ end: UInt32) {
        removeRegion(start, end)
        mmapRegions.append((start, end))
    }

    func removeRegion(_ start: UInt32, _ end: UInt32) {
        var out: [(start: UInt32, end: UInt32)] = []
        for r in mmapRegions {
            if r.end <= start || r.start >= end { out.append(r); continue }
            if r.start < start { out.append((r.start, start)) }
            if r.end > end { out.append((end, r.end)) }
        }
        mmapRegions = out
    }

    func mmap(_ machine: Machine, _ a: SyscallArguments) -> Outcome {
        let addr = a[0], len = a[1], prot = a[2], flags = a[3], pgoff = a[5]
        let page = GuestMemory.pageSize
        guard len > 0, flags & (SyscallBridge.MAP_SHARED | SyscallBridge.MAP_PRIVATE) != 0 else { return .errno(EINVAL) }
        guard UInt64(len) + UInt64(page - 1) < 1 << 32 else { return .errno(ENOMEM) }
        let length = (len + page - 1) & ~(page - 1)
        var hostFile: Int32? = nil
        if flags & SyscallBridge.MAP_ANONYMOUS == 0 {
            guard let e = entry(a.signed(4)), case .host(let fd, _, let directory) = e, !directory else { return .errno(EBADF) }
            guard flags & SyscallBridge.MAP_SHARED == 0 || prot & 2 == 0 else { return .errno(ENODEV) }
            hostFile = fd
        }
        let start: UInt32
        if flags & (SyscallBridge.MAP_FIXED | SyscallBridge.MAP_FIXED_NOREPLACE) != 0 {
            guard addr & (page - 1) == 0, addr >= 0x1000, UInt64(addr) + UInt64(length) <= UInt64(machine.process.stackTop) else {
                return .errno(EINVAL)
            }
            if flags & SyscallBridge.MAP_FIXED_NOREPLACE != 0 {
                for p in (addr >> GuestMemory.pageShift)..<((addr + length) >> GuestMemory.pageShift) where pageInUse(machine, p) {
                    return .errno(EEXIST)
                }
            }
            start = addr
        } else {
            guard let s = findFree(machine, length: length) else { return .errno(ENOMEM) }
            start = s
        }
        codePagesChanged(machine, start, length)
        machine.memory.unmap(start, length: length)
        if let fd = hostFile {
            let offset = off_t(pgoff) * off_t(page)
            var done = 0
            while done < Int(length) {
                let n = pread(fd, machine.memory.host(start) + done, Int(length) - done, offset + off_t(done))
                if n <= 0 { break }
                done += n
            }
        }
        machine.memory.protect(start, length: length, perms: SyscallBridge.pagePerms(prot))
        addRegion(start, start + length)
        return Outcome(Int64(start))
    }

    func munmap(_ machine: Machine, _ addr: UInt32, _ len: UInt32) -> Outcome {
        let page = GuestMemory.pageSize
        guard addr & (page - 1) == 0, len > 0, UInt64(addr) + UInt64(len) + UInt64(page - 1) <= 1 << 32 else { return .errno(EINVAL) }
        let length = UInt32((UInt64(len) + UInt64(page - 1)) & ~UInt64(page - 1))
        codePagesChanged(machine, addr, length)
        machine.memory.unmap(addr, length: length)
        removeRegion(addr, addr &+ length)
        return Outcome(0)
    }

    func mprotect(_ machine: Machine, _ addr: UInt32, _ len: UInt32, _ prot: UInt32) -> Outcome {
        let page = GuestMemory.pageSize
        guard addr & (page - 1) == 0, prot & ~7 == 0 else { return .errno(EINVAL) }
        guard len > 0 else { return Outcome(0) }
        guard UInt64(addr) + UInt64(len) + UInt64(page - 1) <= 1 << 32 else { return .errno(ENOMEM) }
        let length = UInt32((UInt64(len) + UInt64(page - 1)) & ~UInt64(page - 1))
        let first = addr >> GuestMemory.pageShift
        for p in first..<(first + (length >> GuestMemory.pageShift)) where !pageInUse(machine, p) {
            return .errno(ENOMEM)
        }
        codePagesChanged(machine, addr, length)
        machine.memory.protect(addr, length: length, perms: SyscallBridge.pagePerms(prot))
        return Outcome(0)
    }
}
