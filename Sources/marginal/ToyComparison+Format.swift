import Foundation
import MarginalCore

extension ToyComparison {
    /// The table as text: a first row with ŷ, then one row a loss; IoU and proportions in %.
    func text() -> String {
        let names = image.scenario.classNames
        let width = max(7, names.map(\.count).max()! + 1)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func label(_ text: String) -> String { text.padding(toLength: 13, withPad: " ", startingAt: 0) }
        let iouWidth = width * (names.count + 1)
        var out = "toy \(image.scenario.rawValue), \(steps) steps; ŷ is the drawn map's own proportion\n"
        out += label("") + "IoU (%)".padding(toLength: iouWidth, withPad: " ", startingAt: 0) + "  | hard (argmax) proportion (%)\n"
        out += label("loss") + names.map(cell).joined() + cell("mIoU") + "  |" + names.map(cell).joined() + "\n"
        out += label("ŷ (%)") + String(repeating: " ", count: iouWidth) + "  |"
            + image.targetProportion.map { cell(String(format: "%.1f", 100 * $0)) }.joined() + "\n"
        for (loss, report) in rows {
            out += label(loss.rawValue)
                + report.iou.map { cell(ToyReportFormat.percent($0)) }.joined() + cell(ToyReportFormat.percent(report.meanIoU)) + "  |"
                + report.hardProportion.map { cell(String(format: "%.1f", 100 * $0)) }.joined() + "\n"
        }
        return out
    }

    /// One JSON object: the toy, then a row a loss with its final report.
    func json() -> String {
        "{\"scenario\": \"\(image.scenario.rawValue)\", \"steps\": \(steps), \"classes\": ["
            + image.scenario.classNames.map { "\"\($0)\"" }.joined(separator: ", ") + "], \"rows\": ["
            + rows.map { "{\"loss\": \"\($0.loss.rawValue)\", \"report\": \(ToyReportFormat.json($0.report))}" }.joined(separator: ", ")
            + "]}\n"
    }
}
