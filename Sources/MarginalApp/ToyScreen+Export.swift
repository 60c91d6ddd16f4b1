import MarginalCore
import MarginalPlot
import MarginalFigure

extension ToyScreen {
    /// The current report per class as a CSV, and the proportions as a chart over the class index.
    public func export() -> ExportRequest? {
        let indices = (0 ..< scenario.classes).map(Double.init)
        let table = DataTable(columns: [
            ("class", indices.map { Optional($0) }),
            ("target", report.targetProportion.map { Optional($0) }),
            ("soft", report.softProportion.map { Optional($0) }),
            ("tempered", report.temperedProportion.map { Optional($0) }),
            ("hard", report.hardProportion.map { Optional($0) }),
            ("iou", report.iou),
        ])
        func series(_ name: String, _ label: String, _ values: [Double?], _ color: Color) -> Series {
            Series(name: name, label: label, x: indices, y: values, style: StrokeStyle(color: color, width: 2))
        }
        let chart = LineChart(
            title: "Toy \(scenario.rawValue), loss \(loss.rawValue), step \(report.step)",
            subtitle: "classes: " + scenario.classNames.joined(separator: ", "),
            xAxis: Axis(label: "class index k", range: 0 ... Double(max(1, scenario.classes - 1))),
            yAxis: Axis(label: "proportion or IoU", range: 0 ... 1),
            series: [series("target", "target ŷ", report.targetProportion.map { Optional($0) }, Self.targetColor),
                     series("soft", "soft p̂ (τ = 1)", report.softProportion.map { Optional($0) }, Self.softColor),
                     series("hard", "hard proportion", report.hardProportion.map { Optional($0) }, Palette.green),
                     series("iou", "IoU", report.iou, Palette.purple)])
        return ExportRequest(name: "toy-\(scenario.rawValue)-\(loss.rawValue)-seed\(seed)-step\(report.step)", table: table, figure: .lines(chart))
    }
}
