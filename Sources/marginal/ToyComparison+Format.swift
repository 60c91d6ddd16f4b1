import Foundation
import MarginalCore

extension ToyComparison {
    /// The table as text: a first row with ŷ, then one row a loss; IoU and proportions in %.
    func text() -> String {
        let names = image.scenario.classNames
        let width = max(9, names.map(\.count).max()! + 1)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        var out = "toy \(image.scenario.rawValue), \(steps) steps, ŷ from the drawn map; IoU and proportions in %\n"
        out += "loss".padding(toLength: 13, withPad: " ", startingAt: 0)
            + names.map { cell("IoU " + String($0.prefix(width - 5))) }.joined() + cell("mIoU") + "  |"
            + names.map { cell(String($0.prefix(width - 1))) }.joined() + "\n"
        out += "ŷ".padding(toLength: 13, withPad: " ", startingAt: 0) + String(repeating: " ", count: width * (names.count + 1)) + "  |"
            + image.targetProportion.map { cell(String(format: "%.1f", 100 * $0)) }.joined() + "\n"
        for (loss, report) in rows {
            out += loss.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
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
