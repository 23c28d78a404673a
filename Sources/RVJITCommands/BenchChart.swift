import Foundation

/// `rvjit bench --svg`: a bar chart, hand-written SVG, of each engine's speed relative to a
/// baseline (qemu-riscv32 when it was timed, else the interpreter) per workload and as the
/// geometric mean, with each engine's min-max spread drawn as a whisker.
public enum BenchChart {
    static let colours: [BenchEngine: String] = [.interp: "#d55e00", .closure: "#56b4e9", .jit: "#0072b2", .qemu: "#777777"]

    public static func svg(_ report: BenchReport) -> String {
        let hasQEMU = report.engines.contains(.qemu)
            && report.workloads.contains { $0.measurement(.qemu)?.medianSeconds != nil }
        let baseline: BenchEngine = hasQEMU ? .qemu : .interp
        let bars = report.engines.filter { $0 != baseline }
        let key = { (e: BenchEngine) in BenchReport.key(e, baseline) }

        // (label, per bar: (value, low, high, failure text))
        typealias Bar = (value: Double?, low: Double?, high: Double?, note: String?)
        var groups: [(label: String, bars: [Bar], isMean: Bool)] = []
        for w in report.workloads {
            let base = w.measurement(baseline)?.medianSeconds
            groups.append((w.name, bars.map { e in
                let m = w.measurement(e)
                let value = w.speed(e, over: baseline)
                var note: String? = nil
                if w.failure != nil || m?.status == .failed { note = "failed" }
                else if m?.status == .unavailable || base == nil { note = "n/a" }
                let low = base.flatMap { b in m?.maxSeconds.map { b / $0 } }
                let high = base.flatMap { b in m?.minSeconds.map { b / $0 } }
                return (value, low, high, value == nil ? (note ?? "n/a") : nil)
            }, false))
        }
        groups.append(("geometric mean", bars.map { e in
            let g = report.geometricMeans[key(e)]
            return (g, nil, nil, g == nil ? "n/a" : nil)
        }, true))

        let top = 92.0, plotHeight = 300.0, bottom = 96.0, left = 64.0, right = 24.0
        let barWidth = 16.0, gap = 18.0
        let groupWidth = Double(max(bars.count, 1)) * barWidth + gap
        let width = max(720, left + right + Double(groups.count) * groupWidth + 150)
        let height = top + plotHeight + bottom
        var peak = 1.0
        for g in groups { for b in g.bars { peak = max(peak, b.value ?? 0, b.high ?? 0) } }
        let step = niceStep(peak * 1.08 / 6)
        let yMax = (peak * 1.08 / step).rounded(.up) * step
        func y(_ v: Double) -> Double { top + plotHeight - min(v, yMax) / yMax * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>

            """
        let title = hasQEMU ? "Speed relative to qemu-riscv32 (higher is better)" : "Speed relative to the interpreter (higher is better)"
        s += text(left, 22, title, size: 15, weight: "bold")
        var sub = report.suite.map { "\(report.set ?? "rv32i") build of \(($0 as NSString).lastPathComponent == BenchSuite.manifestName ? ($0 as NSString).deletingLastPathComponent : $0)" } ?? (report.workloads.first?.name ?? "")
        sub += "; median of \(report.rounds) round\(report.rounds == 1 ? "" : "s") after \(report.warmup) warm-up; whole processes, start-up included; whiskers: min-max of the rounds"
        s += text(left, 40, sub, size: 11, fill: "#444")
        s += text(left, 54, "\(report.host), \(report.date)", size: 10, fill: "#777")

        // Grid and axis.
        var tick = 0.0
        while tick <= yMax + step / 2 {
            s += line(left, y(tick), width - right - 150, y(tick), stroke: "#e4e4e4")
            s += text(left - 6, y(tick) + 4, String(format: step < 0.1 ? "%.2f" : "%.1f", tick), anchor: "end", fill: "#555")
            tick += step
        }
        s += line(left, top, left, top + plotHeight, stroke: "#999")
        s += "<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#333\">× \(escape(baseline.label)) speed</text>\n"

        // Reference lines: the baseline, and the issue's targets against qemu.
        var references: [(Double, String, String)] = [(1, "\(baseline.label) = 1", "#333")]
        if hasQEMU {
            if bars.contains(.jit) { references.append((0.5, "JIT target 0.5×", colours[.jit] ?? "#000")) }
            if bars.contains(.interp) { references.append((0.2, "interpreter target 0.2×", colours[.interp] ?? "#000")) }
        }
        for (v, label, colour) in references where v <= yMax {
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(width - right - 150))\" y2=\"\(f(y(v)))\" stroke=\"\(colour)\" stroke-dasharray=\"5 4\" stroke-width=\"1.2\"/>\n"
            s += text(width - right - 146, y(v) + 4, label, size: 10, fill: colour)
        }

        // Bars.
        for (gi, group) in groups.enumerated() {
            let x0 = left + gap / 2 + Double(gi) * groupWidth
            if group.isMean {
                s += line(x0 - gap / 2, top, x0 - gap / 2, top + plotHeight, stroke: "#bbb")
            }
            for (bi, bar) in group.bars.enumerated() {
                let x = x0 + Double(bi) * barWidth
                let colour = colours[bars[bi]] ?? "#000"
                if let v = bar.value {
                    s += "<rect x=\"\(f(x + 1))\" y=\"\(f(y(v)))\" width=\"\(f(barWidth - 2))\" height=\"\(f(top + plotHeight - y(v)))\" fill=\"\(colour)\"\(group.isMean ? " stroke=\"#000\" stroke-width=\"1\"" : "")><title>\(escape("\(group.label), \(bars[bi].label): \(String(format: "%.3f", v))×"))</title></rect>\n"
                    if let lo = bar.low, let hi = bar.high {
                        let cx = x + barWidth / 2
                        s += line(cx, y(lo), cx, y(hi), stroke: "#111")
                        s += line(cx - 3, y(lo), cx + 3, y(lo), stroke: "#111")
                        s += line(cx - 3, y(hi), cx + 3, y(hi), stroke: "#111")
                    }
                    let labelY = min(y(v), bar.high.map(y) ?? y(v)) - 4
                    s += "<text transform=\"translate(\(f(x + barWidth / 2 + 3)) \(f(labelY))) rotate(-90)\" font-size=\"9\" fill=\"#222\">\(String(format: v < 10 ? "%.2f" : "%.0f", v))</text>\n"
                } else if let note = bar.note {
                    let red = note == "failed"
                    s += "<text transform=\"translate(\(f(x + barWidth / 2 + 3)) \(f(top + plotHeight - 4))) rotate(-90)\" font-size=\"10\" font-weight=\"bold\" fill=\"\(red ? "#c00" : "#888")\">\(escape(note))</text>\n"
                }
            }
            let cx = x0 + Double(group.bars.count) * barWidth / 2
            s += "<text transform=\"translate(\(f(cx + 4)) \(f(top + plotHeight + 8))) rotate(45)\" font-size=\"11\"\(group.isMean ? " font-weight=\"bold\"" : "")>\(escape(group.label))</text>\n"
        }

        // Legend.
        for (i, e) in bars.enumerated() {
            let lx = left + Double(i) * 120, ly = 64.0
            s += "<rect x=\"\(f(lx))\" y=\"\(f(ly))\" width=\"12\" height=\"12\" fill=\"\(colours[e] ?? "#000")\"/>\n"
            s += text(lx + 18, ly + 10, "rvjit \(e.label)", size: 11)
        }
        s += "</svg>\n"
        return s
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at least `x`.
    static func niceStep(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 0.1 }
        let p = pow(10, (log10(x)).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * p >= x { return m * p }
        return 10 * p
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func text(_ x: Double, _ y: Double, _ s: String, size: Int = 11, weight: String? = nil, anchor: String? = nil, fill: String = "#000") -> String {
        var attributes = "x=\"\(String(format: "%.1f", x))\" y=\"\(String(format: "%.1f", y))\" font-size=\"\(size)\" fill=\"\(fill)\""
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if let anchor { attributes += " text-anchor=\"\(anchor)\"" }
        return "<text \(attributes)>\(escape(s))</text>\n"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) -> String {
        let p = { (v: Double) in String(format: "%.1f", v) }
        return "<line x1=\"\(p(x1))\" y1=\"\(p(y1))\" x2=\"\(p(x2))\" y2=\"\(p(y2))\" stroke=\"\(stroke)\"/>\n"
    }
}
