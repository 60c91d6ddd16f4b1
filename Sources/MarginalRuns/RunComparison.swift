import Foundation
import MarginalCore

/// Several runs on one dataset in the layout of the paper's Table 4: one row a run with its
/// per-class IoU and mIoU (%, from each run's latest validation evaluation), under a first row
/// with each class's mean proportion (%); the best value of each column is marked.
public struct RunComparison: Sendable, Equatable {
    public let classes: [String]
    public let runs: [RunRecord]

    /// The output formats of `render`.
    public enum Format: String, CaseIterable, Sendable { case text, markdown, csv, json }

    /// Refuses an empty list and runs on different datasets (their classes differ).
    public init(runs: [RunRecord]) throws(MarginalError) {
        guard let first = runs.first else { throw MarginalError("name at least one run") }
        if let conflict = RunRecord.classConflict(runs) {
            throw MarginalError("runs on different datasets (\(conflict)) do not share classes")
        }
        self.runs = runs
        classes = first.classNames
    }

    /// Each class's share of the validation pixels, averaged over the runs that have been
    /// evaluated (the same for runs of one seed; runs of other seeds draw other samples).
    public var meanProportion: [Double] {
        let targets = runs.compactMap(\.latest?.targetProportion).filter { $0.count == classes.count }
        guard !targets.isEmpty else { return [] }
        return classes.indices.map { k in targets.map { $0[k] }.reduce(0, +) / Double(targets.count) }
    }

    /// A value as the table shows it: a percentage to one decimal.
    static func shown(_ value: Double) -> String { String(format: "%.1f", 100 * value) }

    /// Column `c` of a run: the IoU of class c, or the mIoU for c = classes.count.
    public func value(run: Int, column: Int) -> Double? {
        guard let latest = runs[run].latest else { return nil }
        return column < classes.count ? (column < latest.iou.count ? latest.iou[column] : nil) : latest.miou
    }

    /// The runs holding a column's highest value as shown (every one of them on a tie of the
    /// printed numbers, so that bold never falls on the smaller of two equal-looking values);
    /// empty when no run has a value or there is only one run.
    public func best(column: Int) -> Set<Int> {
        guard runs.count > 1 else { return [] }
        let shown = runs.indices.map { value(run: $0, column: column).flatMap { Double(Self.shown($0)) } }
        guard let top = shown.compactMap({ $0 }).max() else { return [] }
        return Set(runs.indices.filter { shown[$0] == top })
    }

    public var header: [String] { ["run"] + classes + ["mIoU"] }

    /// One class across the runs, beyond its IoU (%, at each run's latest evaluation): ŷ, the
    /// soft p̂ (τ = 1), p̂ at the run's τ (what L1 and KL penalise; "–" where not recorded), the
    /// hard proportion, IoU and Dice; and the run's τ. Where the penalised marginal, the region
    /// predicted and the score part ways, a label-marginal bias is at work (claim 7).
    public func detail(classIndex k: Int) -> (header: [String], rows: [[String]]) {
        let header = ["run", "loss", "τ", "ŷ %", "p̂ %", "p̂τ %", "hard %", "IoU", "Dice"]
        func cell(_ values: [Double]?) -> String { values.flatMap { k < $0.count ? Self.shown($0[k]) : nil } ?? "–" }
        func cell(_ values: [Double?]?) -> String { values.flatMap { k < $0.count ? $0[k].map(Self.shown) : nil } ?? "–" }
        let rows = runs.map { run -> [String] in
            let r = run.latest
            return [run.name, run.lossLabel,
                    run.configurationKnown && run.configuration.loss.usesTemperature ? String(format: "%g", run.configuration.tau) : "–",
                    cell(r?.targetProportion), cell(r?.predProportion), cell(r?.temperedProportion), cell(r?.hardProportion),
                    cell(r?.iou), cell(r?.dice)]
        }
        return (header, rows)
    }

    /// The table's cells: the proportion row, then one row a run ("–" where there is no value).
    public var rows: [[String]] {
        let columns = classes.count + 1
        var rows = [["mean proportion (%)"] + meanProportion.prefix(classes.count).map { String(format: "%.2f", 100 * $0) } + [""]]
        for index in runs.indices {
            rows.append([runs[index].name] + (0 ..< columns).map { column in
                value(run: index, column: column).map(Self.shown) ?? "–"
            })
        }
        return rows
    }

    /// The table as text (aligned columns), Markdown (best values in bold), CSV (its header
    /// saying "(%)"), or JSON (IoU as fractions, as in `metrics.jsonl`).
    public func render(_ format: Format) -> String {
        let header = header, rows = rows
        switch format {
        case .markdown:
            let marked = rows.enumerated().map { index, cells in
                index == 0 ? cells : cells.enumerated().map { column, cell in
                    column > 0 && best(column: column - 1).contains(index - 1) ? "**\(cell)**" : cell
                }
            }
            return "| " + header.joined(separator: " | ") + " |\n|" + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
                + marked.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
        case .csv:
            // The header says the unit, since the IoU a run plot exports is a fraction.
            let named = ["run"] + classes.map { "\($0) IoU (%)" } + ["mIoU (%)"]
            return ([named] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .json:
            func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "null" }
            let objects = runs.map { run -> String in
                let iou = (run.latest?.iou ?? []).map(number).joined(separator: ", ")
                return "{\"run\": \(jsonString(run.name)), \"loss\": \(jsonString(run.lossLabel)), \"iou\": [\(iou)], \"miou\": \(number(run.latest?.miou))}"
            }
            return "{\"classes\": [" + classes.map(jsonString).joined(separator: ", ") + "], \"mean_proportion\": ["
                + meanProportion.map { "\($0)" }.joined(separator: ", ") + "], \"runs\": [" + objects.joined(separator: ", ") + "]}\n"
        case .text:
            let widths = header.indices.map { column in ([header] + rows).map { column < $0.count ? $0[column].count : 0 }.max()! }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: max(0, widths[column] - cell.count)) + cell
                }.joined(separator: "  ")
            }
            return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
        }
    }
}
