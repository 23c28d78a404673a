import Foundation
import RVFuzz

// Built two ways (see .ci/fuzz):
// - with `-sanitize=fuzzer -D FUZZING`: libFuzzer's main calls LLVMFuzzerTestOneInput with inputs
//   it mutates; RVJIT_FUZZ_TARGET names the target (elf, decode, syscalls, differential);
// - normally: `rvjit-fuzz TARGET FILE...` replays inputs (a crash reproduces as a crash).

#if FUZZING
nonisolated(unsafe) let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["RVJIT_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("rvjit-fuzz: set RVJIT_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))\n".utf8))
        exit(2)
    }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : count))
    return 0
}

// SwiftPM names an executable's entry point after its module; libFuzzer's driver takes over.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("rvjit_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOne(data, size) }
}
#else
@main
struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: rvjit-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...\n".utf8))
            exit(64)
        }
        for path in args.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("rvjit-fuzz: cannot read \(path)\n".utf8))
                exit(2)
            }
            data.withUnsafeBytes { target.run($0) }
        }
    }
}
#endif
