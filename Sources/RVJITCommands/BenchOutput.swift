import Foundation

/// The forms of a `BenchReport`: a text table (standard output), JSON and CSV.
extension BenchReport {
    /// The table `rvjit bench` prints.
    public func text() -> String {
        var out = ""
        let what = suite.map { "\(set ?? "rv32i") build of the suite \($0), \(workloads.count) workloads" } ?? (workloads.first?.name ?? "")
        out += "rvjit bench: \(what); \(rounds) round\(rounds == 1 ? "" : "s") after \(warmup) warm-up\(warmup == 1 ? "" : "s"), engines alternating within each round\n"
        out += "timing: \(timing)\n"
        out += "host: \(host), \(date)\n\n"
        var header = pad("workload", 12, left: true) + pad("instructions", 14)
        for e in engines { header += pad("\(e.label) MIPS", 17) + pad("median s [min-max]", 24) }
        for (a, b) in ratioPairs { header += pad(Self.key(a, b), 12) }
        if engines.contains(.jit) { header += pad("transl.", 9) + pad("cache", 9) }
        out += header + "\n"
        for w in workloads {
            var line = pad(w.name, 12, left: true) + pad(w.instructions.map(String.init) ?? "-", 14)
            for e in engines {
                guard let m = w.measurement(e) else { continue }
                switch (w.failure, m.status) {
                case (.some, _): line += pad("not timed", 17) + pad("", 24)
                case (nil, .failed): line += pad("FAILED", 17) + pad("", 24)
                case (nil, .unavailable): line += pad("n/a", 17) + pad("", 24)
                case (nil, .ok):
                    line += pad(m.mips.map { String(format: "%.1f", $0) } ?? "-", 17)
                    if let med = m.medianSeconds, let lo = m.minSeconds, let hi = m.maxSeconds {
                        line += pad(String(format: "%.3f [%.3f-%.3f]", med, lo, hi), 24)
                    } else { line += pad("-", 24) }
                }
            }
            for (a, b) in ratioPairs { line += pad(w.ratios[Self.key(a, b)].map { String(format: "%.3f", $0) } ?? "-", 12) }
            if engines.contains(.jit) {
                line += pad(w.translationShare.map { String(format: "%.2f%%", $0 * 100) } ?? "-", 9)
                line += pad(w.codeCacheBytes.map { "\($0 >> 10)K" } ?? "-", 9)
            }
            out += line + "\n"
        }
        if workloads.count > 1 {
            var line = pad("geomean", 12, left: true) + pad("", 14)
            for _ in engines { line += pad("", 17) + pad("", 24) }
            for (a, b) in ratioPairs { line += pad(geometricMeans[Self.key(a, b)].map { String(format: "%.3f", $0) } ?? "-", 12) }
            out += line + "\n"
            line = pad("(cpu time)", 12, left: true) + pad("", 14)
            for _ in engines { line += pad("", 17) + pad("", 24) }
            for (a, b) in ratioPairs { line += pad(cpuGeometricMeans[Self.key(a, b)].map { String(format: "%.3f", $0) } ?? "-", 12) }
            out += line + "\n"
        }
        var notes: [String] = []
        for w in workloads {
            if let f = w.failure { notes.append("FAILED \(w.name): \(f)") }
            for m in w.engines where w.failure == nil && m.status != .ok {
                notes.append("\(m.status == .failed ? "FAILED" : "not run") \(w.name) under \(m.engine.label): \(m.reason ?? "")")
            }
        }
        if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
        if failures > 0 { out += "\n\(failures) failure\(failures == 1 ? "" : "s"): failed runs get no figures and are left out of the geometric means\n" }
        return out
    }

    private func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(1, width - s.count))
        return left ? s + gap : gap + s
    }

    /// The whole report as JSON (keys sorted, so that two reports diff cleanly).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A Markdown table: per workload the guest instructions, each engine's MIPS with its spread
    /// ((max - min) / median of the rounds), the ratios; then the geometric means.
    public func markdown() -> String {
        let names: [BenchEngine: String] = [.interp: "interpreter", .closure: "closure tier", .jit: "JIT", .qemu: "qemu"]
        func label(_ e: BenchEngine) -> String { names[e] ?? e.rawValue }
        var header = "| workload | guest instructions |"
        var rule = "|---|---:|"
        for e in engines { header += " \(label(e)) MIPS (spread) |"; rule += "---:|" }
        for (a, b) in ratioPairs { header += " \(label(a))/\(label(b)) |"; rule += "---:|" }
        var out = header + "\n" + rule + "\n"
        for w in workloads {
            var row = "| \(w.name) \(w.arguments.joined(separator: " ")) | \(w.instructions.map { Self.grouped($0) } ?? "–") |"
            for e in engines {
                guard let m = w.measurement(e) else { row += " |"; continue }
                if w.failure != nil || m.status == .failed { row += " **failed** |"; continue }
                if m.status == .unavailable { row += " n/a |"; continue }
                if let mips = m.mips, let med = m.medianSeconds, let lo = m.minSeconds, let hi = m.maxSeconds, med > 0 {
                    row += String(format: " %.0f (%.0f%%) |", mips, (hi - lo) / med * 100)
                } else { row += " – |" }
            }
            for (a, b) in ratioPairs { row += " \(w.ratios[Self.key(a, b)].map { String(format: "%.2f", $0) } ?? "–") |" }
            out += row + "\n"
        }
        var row = "| **geometric mean** | |" + String(repeating: " |", count: engines.count)
        for (a, b) in ratioPairs { row += " **\(geometricMeans[Self.key(a, b)].map { String(format: "%.2f", $0) } ?? "–")** |" }
        out += row + "\n"
        row = "| geometric mean of user+sys CPU time ratios | |" + String(repeating: " |", count: engines.count)
        for (a, b) in ratioPairs { row += " \(cpuGeometricMeans[Self.key(a, b)].map { String(format: "%.2f", $0) } ?? "–") |" }
        out += row + "\n"
        if failures > 0 { out += "\n\(failures) failed run\(failures == 1 ? "" : "s") (no figures, left out of the means).\n" }
        return out
    }

    static func grouped(_ n: UInt64) -> String {
        var digits = Array(String(n))
        var i = digits.count - 3
        while i > 0 { digits.insert(",", at: i); i -= 3 }
        return String(digits)
    }

    public static let csvHeader = [
        "workload", "arguments", "engine", "status", "reason", "instructions", "rounds",
        "wall_median_s", "wall_min_s", "wall_max_s", "cpu_median_s", "mips", "speed_vs_qemu", "speed_vs_interp",
    ]

    /// One row per workload and engine (RFC 4180 quoting).
    public func csv() -> String {
        var rows = [Self.csvHeader]
        func number(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }
        for w in workloads {
            for m in w.engines {
                let status = w.failure != nil ? "failed" : m.status.rawValue
                rows.append([
                    w.name, w.arguments.joined(separator: " "), m.engine.rawValue, status, w.failure ?? m.reason ?? "",
                    w.instructions.map(String.init) ?? "", String(m.wallSeconds.count),
                    number(m.medianSeconds), number(m.minSeconds), number(m.maxSeconds), number(m.cpuMedianSeconds),
                    number(m.mips),
                    m.engine == .qemu ? "" : number(w.speed(m.engine, over: .qemu)),
                    m.engine == .interp ? "" : number(w.speed(m.engine, over: .interp)),
                ])
            }
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
