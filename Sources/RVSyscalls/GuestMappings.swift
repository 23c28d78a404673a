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

    /// Whether the page is in use: mapped, with permissions or without (PROT_NONE).
    func pageInUse(_ machine: Machine, _ page: Int) -> Bool {
        machine.memory.flags[page] & (PageFlag.rwx | PageFlag.mapped) != 0
    }

    /// The highest free page-aligned range of `length` bytes between the heap limit and
    /// `mmapTop`, or nil.
    func findFree(_ machine: Machine, length: UInt64) -> UInt32? {
        let page = UInt64(GuestMemory.pageSize)
        let floor = UInt64(machine.process.brkLimit)
        var end = UInt64(machine.process.mmapTop) & ~(page - 1)
        while end >= floor, end - floor >= length {
            let start = end - length
            let blocked = GuestMemory.pages(UInt32(truncatingIfNeeded: start), length: length).reversed().first {
                pageInUse(machine, $0)
            }
            guard let b = blocked else { return UInt32(truncatingIfNeeded: start) }
            end = UInt64(b) << UInt64(GuestMemory.pageShift)
        }
        return nil
    }

    /// Invalidates translations made from pages in the range (their contents or rights change).
    func codePagesChanged(_ machine: Machine, _ start: UInt32, _ length: UInt64) {
        machine.hostWillWrite(start, length: length)
    }

    /// A guest length rounded up to whole pages, in 64 bits (0x0fffff001 rounds to 2^32).
    static func pageRounded(_ length: UInt32) -> UInt64 {
        let page = UInt64(GuestMemory.pageSize)
        return (UInt64(length) + page - 1) & ~(page - 1)
    }

    func mmap(_ machine: Machine, _ a: SyscallArguments) -> Outcome {
        let addr = a[0], len = a[1], prot = a[2], flags = a[3], pgoff = a[5]
        let page = GuestMemory.pageSize
        guard len > 0, flags & (SyscallBridge.MAP_SHARED | SyscallBridge.MAP_PRIVATE) != 0 else { return .errno(EINVAL) }
        let length = SyscallBridge.pageRounded(len)
        var hostFile: Int32? = nil
        if flags & SyscallBridge.MAP_ANONYMOUS == 0 {
            guard let e = entry(a.signed(4)), case .host(let fd, _, let directory) = e, !directory else { return .errno(EBADF) }
            guard flags & SyscallBridge.MAP_SHARED == 0 || prot & 2 == 0 else { return .errno(ENODEV) }
            hostFile = fd
        }
        let start: UInt32
        if flags & (SyscallBridge.MAP_FIXED | SyscallBridge.MAP_FIXED_NOREPLACE) != 0 {
            guard addr & (page - 1) == 0, addr >= 0x1000, UInt64(addr) + length <= UInt64(machine.process.stackTop) else {
                return .errno(EINVAL)
            }
            if flags & SyscallBridge.MAP_FIXED_NOREPLACE != 0,
                GuestMemory.pages(addr, length: length).contains(where: { pageInUse(machine, $0) })
            {
                return .errno(EEXIST)
            }
            start = addr
        } else {
            guard let s = findFree(machine, length: length) else { return .errno(ENOMEM) }
            start = s
        }
        guard machine.mayMap(pages: machine.memory.unmappedPages(start, length: length)) else { return .errno(ENOMEM) }
        codePagesChanged(machine, start, length)
        machine.memory.unmap(start, length: length)
        machine.memory.map(start, length: length, perms: 0)
        if let fd = hostFile, let out = machine.hostWritable(start, length: length, requiring: 0) {
            let offset = off_t(pgoff) * off_t(page)
            var done = 0
            while done < out.count, let base = out.baseAddress {
                let n = pread(fd, base + done, out.count - done, offset + off_t(done))
                if n <= 0 { break }
                done += n
            }
        }
        machine.memory.protect(start, length: length, perms: SyscallBridge.pagePerms(prot))
        return Outcome(Int64(start))
    }

    func munmap(_ machine: Machine, _ addr: UInt32, _ len: UInt32) -> Outcome {
        let page = GuestMemory.pageSize
        let length = SyscallBridge.pageRounded(len)
        guard addr & (page - 1) == 0, len > 0, UInt64(addr) + length <= 1 << 32 else { return .errno(EINVAL) }
        codePagesChanged(machine, addr, length)
        machine.memory.unmap(addr, length: length)
        return Outcome(0)
    }

    func mprotect(_ machine: Machine, _ addr: UInt32, _ len: UInt32, _ prot: UInt32) -> Outcome {
        let page = GuestMemory.pageSize
        guard addr & (page - 1) == 0, prot & ~7 == 0 else { return .errno(EINVAL) }
        guard len > 0 else { return Outcome(0) }
        let length = SyscallBridge.pageRounded(len)
        guard UInt64(addr) + length <= 1 << 32 else { return .errno(ENOMEM) }
        if GuestMemory.pages(addr, length: length).contains(where: { !pageInUse(machine, $0) }) { return .errno(ENOMEM) }
        codePagesChanged(machine, addr, length)
        machine.memory.protect(addr, length: length, perms: SyscallBridge.pagePerms(prot))
        return Outcome(0)
    }
}
