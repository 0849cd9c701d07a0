@testable import PortDailyConsole
import Foundation
import Testing

/// The console's server-drawn charts.
@Suite("SVG charts")
struct SVGChartTests {
    @Test("the y axis ends at a round number at or above the largest value, in about five steps")
    func scale() {
        for (largest, ceiling, step) in [(0.0, 1.0, 0.2), (7, 8, 2), (10, 10, 2), (195, 200, 50), (84_000, 100_000, 20_000), (0.3, 0.3, 0.1)] {
            let scale = SVGChart.niceScale(largest)
            #expect(abs(scale.ceiling - ceiling) < 1e-9 && abs(scale.step - step) < 1e-9, "\(largest): \(scale)")
        }
    }

    @Test("every text is escaped; at most about twelve dates on the axis, the first and the last among them")
    func text() {
        let labels = (1...90).map { String(format: "d%02d", $0) }
        let chart = SVGChart(title: "<script>&", labels: labels,
                             series: [.init(name: "a\"b<", values: labels.indices.map(Double.init), colour: "#000000")], id: "c")
        let svg = chart.svg()
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;&amp;") && svg.contains("a&quot;b&lt;"))
        let shown = labels.filter { svg.contains(">\($0)</text>") }
        #expect(shown.count <= 13 && shown.first == "d01" && shown.last == "d90", "\(shown)")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>") && !svg.contains("style="))
    }
}
