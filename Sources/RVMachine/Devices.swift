#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A memory-mapped device of a bare-metal machine. Its pages carry `PageFlag.device`, so every
/// access to them leaves the executors' fast paths and comes here.
public protocol Device: AnyObject {
    func contains(_ address: UInt32) -> Bool
    func read(_ machine: Machine, address: UInt32, size: UInt32) -> UInt32
    func write(_ machine: Machine, address: UInt32, size: UInt32, value: UInt32)
    /// The instruction count at which the device next needs attention, if any.
    func nextEvent(_ machine: Machine) -> UInt64?
    /// Called when the executors reach a limit (the device may raise interrupts).
    func tick(_ machine: Machine)
}

extension Device {
    public func nextEvent(_ machine: Machine) -> UInt64? { nil }
    public func tick(_ machine: Machine) {}
}

/// Host time sources, used only where the guest is allowed to see the host.
public enum HostClock {
    private static let start: UInt64 = monotonicNanoseconds()

    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Host time since start-up in 100 ns ticks (a 10 MHz timebase, as a CLINT often has).
    public static func ticks10MHz() -> UInt64 {
        let origin = start  // initialised on first use: before the clock is read, never after
        return (monotonicNanoseconds() &- origin) / 100
    }

    /// A stand-in for the host's cycle counter: nanoseconds since boot.
    public static func cycles() -> UInt64 { monotonicNanoseconds() }
}

/// HTIF (the Berkeley host-target interface): `tohost`/`fromhost`, found by symbol.
///
/// A store to the low word of `tohost` hands the 64-bit value to the host: device 0 with bit 0
/// set ends the run with status `value >> 1`; device 1 command 1 writes the low byte to the
/// console. Stores to the high word are just kept, so rv32 guests write high, then low.
public final class HTIF: Device {
    public let tohost: UInt32
    public let fromhost: UInt32?
    public var output: (UInt8) -> Void

    public init(tohost: UInt32, fromhost: UInt32?, output: @escaping (UInt8) -> Void) {
        self.tohost = tohost
        self.fromhost = fromhost
        self.output = output
    }

    public func contains(_ address: UInt32) -> Bool {
        address &- tohost < 8 || fromhost.map { address &- $0 < 8 } ?? false
    }

    public func read(_ machine: Machine, address: UInt32, size: UInt32) -> UInt32 {
        machine.rawLoad(address, size: size)
    }

    public func write(_ machine: Machine, address: UInt32, size: UInt32, value: UInt32) {
        machine.rawStore(address, size: size, value: value)
        guard address == tohost else { return }
        let low = UInt64(machine.memory.read32(tohost))
        let high = UInt64(machine.memory.read32(tohost &+ 4))
        let command = high << 32 | low
        guard command != 0 else { return }
        let device = command >> 56
        let cmd = (command >> 48) & 0xff
        if device == 0 && command & 1 == 1 {
            machine.halt(.exited(Int32(truncatingIfNeeded: (command & 0xffff_ffff_ffff) >> 1)))
        } else if device == 1 && cmd == 1 {
            output(UInt8(truncatingIfNeeded: command))
            if let fromhost {
                machine.hostWrite(fromhost, value: UInt32(1 << 24 | 1 << 16), requiring: 0)  // (1 << 56) | (1 << 48), high word
                machine.hostWrite(fromhost &+ 4, value: UInt32(1 << 24 | 1 << 16), requiring: 0)
                machine.hostWrite(fromhost, value: UInt32(0), requiring: 0)
            }
        }
        machine.hostWrite(tohost, value: UInt64(0), requiring: 0)
    }
}

/// A CLINT: `msip` at +0, `mtimecmp` at +0x4000, `mtime` at +0xBFF8 (64-bit registers).
public final class CLINT: Device {
    public static let defaultBase: UInt32 = 0x0200_0000
    public let base: UInt32
    public var mtimecmp: UInt64 = .max
    public var msip: UInt32 = 0

    public init(base: UInt32 = CLINT.defaultBase) { self.base = base }

    public func contains(_ address: UInt32) -> Bool { address &- base < 0x10000 }

    public func read(_ machine: Machine, address: UInt32, size: UInt32) -> UInt32 {
        let offset = address &- base
        let now = machine.mtime(at: machine.cpu.pointee.instret)
        switch offset {
        case 0: return msip
        case 0x4000: return UInt32(truncatingIfNeeded: mtimecmp)
        case 0x4004: return UInt32(truncatingIfNeeded: mtimecmp >> 32)
        case 0xBFF8: return UInt32(truncatingIfNeeded: now)
        case 0xBFFC: return UInt32(truncatingIfNeeded: now >> 32)
        default: return 0
        }
    }

    public func write(_ machine: Machine, address: UInt32, size: UInt32, value: UInt32) {
        let offset = address &- base
        switch offset {
        case 0: msip = value & 1
        case 0x4000: mtimecmp = (mtimecmp & 0xffff_ffff_0000_0000) | UInt64(value)
        case 0x4004: mtimecmp = (mtimecmp & 0xffff_ffff) | UInt64(value) << 32
        default: return  // mtime is read-only here
        }
        // The deadline moved, or a software interrupt was raised: re-check right after this
        // instruction (executors end the block after a device store).
        machine.updateLimit()
        machine.cpu.pointee.limit = min(machine.cpu.pointee.limit, machine.cpu.pointee.instret &+ 1)
    }

    public func nextEvent(_ machine: Machine) -> UInt64? {
        if msip & 1 != 0 { return machine.cpu.pointee.instret }
        guard mtimecmp != .max else { return nil }
        guard machine.deterministic else { return machine.cpu.pointee.instret &+ 10_000 }
        // mtime = instret / 10 + idle: the first instruction count at which mtime >= mtimecmp.
        let idle = machine.privileged.idleTicks
        if mtimecmp <= idle { return machine.cpu.pointee.instret }
        let ticks = mtimecmp &- idle
        guard ticks < UInt64.max / 10 else { return nil }
        return max(ticks &* 10, machine.cpu.pointee.instret)
    }
}
