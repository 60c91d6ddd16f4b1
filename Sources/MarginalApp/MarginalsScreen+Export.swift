import MarginalCore
import MarginalPlot
import MarginalFigure

extension MarginalsScreen {
    /// ŷ, p̂ and each composite's minimiser per class: a CSV, and a chart of them over the class index.
    public func export() -> ExportRequest? {
        let indices = (0 ..< classes).map(Double.init)
        let klPlusDB = SimplexPenalty.klPlusDB.minimiser(target: target, lambda: lambda)
        let table = DataTable(columns: [
            ("class", indices.map { Optional($0) }),
            ("target", target.map { Optional($0) }),
            ("predicted", predicted.map { Optional($0) }),
            ("kl+db_minimiser", klPlusDB.map { Optional($0) }),
        ])
        func series(_ name: String, _ label: String, _ values: [Double], _ color: Color, dash: [Double] = []) -> Series {
            Series(name: name, label: label, x: indices, y: values.map { Optional($0) }, style: StrokeStyle(color: color, width: 2, dash: dash))
        }
        let chart = LineChart(
            title: "Label marginals of \(classes) classes", subtitle: "Cityscapes classes (Table 4); λ = \(short(lambda))",
            xAxis: Axis(label: "class index k (" + Cityscapes.classNames.prefix(classes).joined(separator: ", ") + ")",
                        range: 0 ... Double(classes - 1)),
            yAxis: Axis(label: "proportion", scale: .logarithmic),
            series: [series("target", "target ŷ", target, Self.targetColor),
                     series("predicted", "prediction p̂", predicted, Self.predictedColor),
                     series("kl+db_minimiser", "minimiser of KL + λ·DB", klPlusDB, Palette.purple, dash: [6, 4])])
        return ExportRequest(name: "marginals-k\(classes)-lambda\(fileNumber(lambda))", table: table, figure: .lines(chart))
    }
}
