// swift-tools-version: 6.1
// Micro-benchmarks of rvjit's engine with ordo-one's `benchmark` package. A package of its own, so
// that building and testing rvjit never builds the benchmark package and its dependencies.
// Run from this directory: `swift package --disable-sandbox benchmark` (see Benchmarks/README.md).
import PackageDescription

let package = Package(
    name: "rvjit-micro",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Named: a path dependency's identity is its directory's name, which depends on the
        // checkout (`main`, a worktree's name), and the target below must name it.
        .package(name: "rvjit", path: "../.."),
        // jemalloc is not required: the malloc interposer gives the allocation counts.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RVJITMicro",
            dependencies: [
                .product(name: "RVJITKit", package: "rvjit"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RVJITMicro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
