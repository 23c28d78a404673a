// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "rvjit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rvjit", targets: ["rvjit"]),
        // The engine as a library, for packages that sit beside this one (Benchmarks/Micro).
        .library(name: "RVJITKit", targets: ["RISCV", "RVMachine", "RVInterpreter", "RVJIT", "RVSyscalls"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: The instruction set alone: one table that drives decode, encode and disassembly.
        .target(name: "RISCV"),

        // MARK: Guest state: memory, CPU, CSRs and traps, ELF loading, devices.
        .target(
            name: "RVMachine",
            dependencies: ["RISCV"],
            // The executors' slow paths (CSRs, devices, traps) touch the machine's stored
            // properties many times per guest instruction; dynamic exclusivity checks were 20% of
            // a CSR-heavy run (perf, csrloop). The machine is single-threaded and its accesses
            // never overlap.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),

        // MARK: Executors.
        .target(name: "RVInterpreter", dependencies: ["RISCV", "RVMachine"]),
        .target(name: "RVJIT", dependencies: ["RISCV", "RVMachine", "RVInterpreter"]),

        // MARK: Guest system calls through libffi into the host C library.
        .systemLibrary(
            name: "CLibFFI",
            pkgConfig: "libffi",
            providers: [.apt(["libffi-dev"])]
        ),
        .target(name: "RVSyscalls", dependencies: ["RISCV", "RVMachine", "CLibFFI"]),

        // MARK: Trace sinks, profiles and CFG output.
        .target(name: "RVTracing", dependencies: ["RISCV", "RVMachine"]),

        // MARK: The command line: commands live in a library that tests call; the executable is thin.
        .target(
            name: "RVJITCommands",
            dependencies: [
                "RISCV", "RVMachine", "RVInterpreter", "RVJIT", "RVSyscalls", "RVTracing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "rvjit", dependencies: ["RVJITCommands"]),

        // MARK: Fuzzing: the targets as a library (the tests replay the kept inputs), and
        // `rvjit-fuzz`, which libFuzzer drives when built by .ci/fuzz.
        .target(name: "RVFuzz", dependencies: ["RISCV", "RVMachine", "RVInterpreter", "RVJIT", "RVSyscalls", "RVJITCommands"]),
        .executableTarget(name: "rvjit-fuzz", dependencies: ["RVFuzz"]),

        // MARK: Benchmarks
        .executableTarget(name: "dispatch-shapes", path: "Benchmarks/DispatchShapes", exclude: ["README.md"]),

        // MARK: Tests.
        .target(
            name: "TestSupport",
            dependencies: ["RISCV", "RVMachine", "RVInterpreter", "RVJIT", "RVSyscalls", "RVJITCommands"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "RISCVTests", dependencies: ["RISCV", "TestSupport"]),
        .testTarget(name: "FuzzTests", dependencies: ["RVFuzz", "TestSupport"], exclude: ["corpus"]),
        .testTarget(
            name: "MachineTests",
            dependencies: ["RISCV", "RVMachine", "RVInterpreter", "TestSupport"]
        ),
        .testTarget(
            name: "JITTests",
            dependencies: ["RISCV", "RVMachine", "RVInterpreter", "RVJIT", "TestSupport"]
        ),
        .testTarget(
            name: "SyscallTests",
            dependencies: ["RISCV", "RVMachine", "RVSyscalls", "RVJITCommands", "TestSupport"]
        ),
        .testTarget(
            name: "TracingTests",
            dependencies: ["RISCV", "RVMachine", "RVJIT", "RVTracing", "RVJITCommands", "TestSupport"],
            exclude: ["Golden", "Spike"]  // golden traces and Spike's logs, read by path
        ),
        .testTarget(
            name: "PrivilegedTests",
            dependencies: ["RISCV", "RVMachine", "RVInterpreter", "RVJIT", "RVSyscalls", "RVJITCommands", "TestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["RISCV", "RVMachine", "RVInterpreter", "RVJIT", "RVSyscalls", "RVJITCommands", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
