import Foundation

/// A line chart of daily series, drawn as SVG on the server: axes with round ticks, the dates
/// along the bottom, a legend, a title. Colours and widths are presentation attributes (a
/// `style` attribute would need the CSP to allow inline styles), and every text is escaped here,
/// since the page inserts the SVG unescaped. Hand-written: no Swift package draws charts.
struct SVGChart {
    struct Series {
        let name: String
        let values: [Double]
        let colour: String
    }

    let title: String
    /// The label under each point (a date), as many as each series has values.
    let labels: [String]
    let series: [Series]
    /// The unit of the y axis, written after the title.
    var unit: String = ""
    /// A stable id for the SVG's `aria-labelledby`.
    let id: String

    static let palette = ["#0b4f6c", "#f2b134", "#b3261e", "#1d7a46"]

    func svg() -> String {
        let width = 960.0, height = 320.0
        let left = 64.0, right = 16.0, top = 40.0, bottom = 56.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let largest = max(series.flatMap(\.values).max() ?? 0, 0)
        let (ceiling, step) = Self.niceScale(largest)
        let count = max(labels.count, 1)
        func x(_ index: Int) -> Double { count == 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(count - 1) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / ceiling) }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" \
            aria-labelledby="\(id)-title" class="chart-svg" id="\(id)" font-family="sans-serif" font-size="12">
            <title id="\(id)-title">\(Self.escape(title))</title>
            <text x="\(left)" y="18" font-size="14" font-weight="bold" fill="#17212b">\(Self.escape(title))\(unit.isEmpty ? "" : " (\(Self.escape(unit)))")</text>

            """
        // Horizontal grid lines and the y axis's ticks.
        var tick = 0.0
        while tick <= ceiling + step / 2 {
            let ty = Self.format(y(tick))
            out += "<line x1=\"\(left)\" y1=\"\(ty)\" x2=\"\(width - right)\" y2=\"\(ty)\" stroke=\"#d6dde3\" stroke-width=\"1\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#5b6b79\">\(Self.tickLabel(tick))</text>\n"
            tick += step
        }
        out += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#17212b\" stroke-width=\"1\"/>"
        out += "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width - right)\" y2=\"\(top + plotHeight)\" stroke=\"#17212b\" stroke-width=\"1\"/>\n"
        // Date labels: at most about twelve, evenly spaced, always the first and the last.
        let every = max(1, Int((Double(count) / 12).rounded(.up)))
        // The last date always; the regular one before it gives way when the two would crowd.
        var shown = Set(stride(from: 0, to: labels.count, by: every))
        if let last = labels.indices.last, !shown.contains(last) {
            let before = (last / every) * every
            if last - before < max(1, every / 2), before > 0 { shown.remove(before) }
            shown.insert(last)
        }
        for (index, label) in labels.enumerated() where shown.contains(index) {
            out += "<text x=\"\(Self.format(x(index)))\" y=\"\(top + plotHeight + 18)\" text-anchor=\"middle\" fill=\"#5b6b79\">\(Self.escape(label))</text>\n"
        }
        // The series: a line, with a dot per point when there are few.
        for line in series {
            let points = line.values.enumerated().map { "\(Self.format(x($0.offset))),\(Self.format(y($0.element)))" }
            out += "<polyline class=\"series\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2.5\" points=\"\(points.joined(separator: " "))\"/>\n"
            if line.values.count <= 62 {
                for (index, value) in line.values.enumerated() {
                    out += "<circle cx=\"\(Self.format(x(index)))\" cy=\"\(Self.format(y(value)))\" r=\"2.5\" fill=\"\(line.colour)\"><title>\(Self.escape(labels[safe: index] ?? "")): \(Self.tickLabel(value))</title></circle>"
                }
                out += "\n"
            }
        }
        // The legend, under the date labels.
        var legendX = left
        for line in series {
            out += "<rect x=\"\(Self.format(legendX))\" y=\"\(height - 18)\" width=\"14\" height=\"4\" fill=\"\(line.colour)\"/>"
            out += "<text x=\"\(Self.format(legendX + 20))\" y=\"\(height - 12)\" fill=\"#17212b\" class=\"legend\">\(Self.escape(line.name))</text>\n"
            legendX += 40 + Double(line.name.count) * 13
        }
        out += "</svg>"
        return out
    }

    /// The axis's top and its step: 1, 2 or 5 times a power of ten, about five steps.
    static func niceScale(_ largest: Double) -> (ceiling: Double, step: Double) {
        guard largest > 0 else { return (1, 0.2) }
        let rough = largest / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        return ((largest / step).rounded(.up) * step, step)
    }

    static func tickLabel(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e12 { return String(Int(value)) }
        return String(format: "%.1f", value)
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Text and attribute values for XML.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
