import Foundation
import MarginalCore

/// Runs that differ only in their seed (and name): one experiment repeated, as Weights &
/// Biases groups runs. The comparison shows a group's mean ± standard deviation per class, so
/// that a difference smaller than what another seed would move is seen as such.
public struct RunGroup: Sendable, Equatable {
    /// The runs, by seed.
    public let runs: [RunRecord]

    /// "lesions · ce_l1 (λ = 1) · 3 seeds".
    public var label: String {
        guard let first = runs.first else { return "" }
        let c = first.configuration
        return "\(c.dataset) · \(c.loss.rawValue)" + (first.lambda.map { " λ \(String(format: "%g", $0))" } ?? "")
            + (c.loss.usesTemperature ? " τ \(String(format: "%g", c.tau))" : "") + " · \(runs.count) seed\(runs.count == 1 ? "" : "s")"
    }

    /// The groups among `runs`, in the order their first run comes: runs whose configurations
    /// are equal once the seed is set aside (steps, batch, lr, size, width… all count).
    public static func groups(of runs: [RunRecord]) -> [RunGroup] {
        var keys: [RunConfiguration] = [], members: [[RunRecord]] = []
        for run in runs {
            var key = run.configuration
            key.seed = 0
            key.threads = 0  // threads change the speed, not the experiment
            key.classNames = nil
            if let index = keys.firstIndex(of: key) { members[index].append(run) } else { keys.append(key); members.append([run]) }
        }
        return members.map { RunGroup(runs: $0.sorted { $0.configuration.seed < $1.configuration.seed }) }
    }

    public init(runs: [RunRecord]) { self.runs = runs }

    /// The seeds of `text`, "1,2,3": distinct whole numbers joined by commas (what `train --seeds`
    /// and the launch form take); one line naming `label` and the rule otherwise.
    public static func seeds(_ text: String, label: String = "--seeds") throws(MarginalError) -> [UInt64] {
        let list = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = list.compactMap { UInt64($0) }
        guard !values.isEmpty, values.count == list.count, Set(values).count == values.count else {
            throw MarginalError("\(label) \(text): distinct whole numbers joined by commas, such as 1,2,3")
        }
        return values
    }

    /// The name of a group's run of seed `seed`: `<stem>-<seed>`, as `train --seeds` names them.
    public static func memberName(stem: String, seed: UInt64) -> String { "\(stem)-\(seed)" }

    /// Mean and standard deviation (numpy's `np.std`, ddof = 0: the spread of these seeds, not an
    /// estimate of the population's) of column `column` of each run's latest evaluation — a
    /// class's IoU, or the mIoU for `column == classes` — over the runs that have a value; nil
    /// when none has.
    public func meanAndDeviation(column: Int, classes: Int) -> (mean: Double, deviation: Double, count: Int)? {
        let values: [Double] = runs.compactMap { run in
            guard let latest = run.latest else { return nil }
            return column < classes ? (column < latest.iou.count ? latest.iou[column] : nil) : latest.miou
        }
        guard !values.isEmpty else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot(), values.count)
    }
}

extension RunComparison {
    /// The groups of the compared runs (runs differing only in their seed).
    public var groups: [RunGroup] { RunGroup.groups(of: runs) }

    /// A group's cell of the grouped table: the mean and std over its seeds, and its mark.
    public struct GroupedCell: Sendable, Equatable {
        public var mean: Double, deviation: Double, count: Int
        /// `best`: the column's best mean; `withinSpread`: a mean within the larger of the two
        /// groups' deviations from that best (a difference no bigger than another seed would move).
        public enum Mark: String, Sendable { case best, withinSpread = "within_spread" }
        public var mark: Mark?
    }

    /// Each group's cells, one a class then the mIoU (nil: no seed has a value there).
    public func groupedCells() -> [[GroupedCell?]] {
        let groups = groups
        let columns = classes.count + 1
        let stats = groups.map { group in (0 ..< columns).map { group.meanAndDeviation(column: $0, classes: classes.count) } }
        return groups.indices.map { g in
            (0 ..< columns).map { column -> GroupedCell? in
                guard let s = stats[g][column] else { return nil }
                var cell = GroupedCell(mean: s.mean, deviation: s.deviation, count: s.count, mark: nil)
                if groups.count > 1, let best = (0 ..< groups.count).compactMap({ i in stats[i][column].map { (i, $0) } }).max(by: { $0.1.mean < $1.1.mean }) {
                    if best.0 == g { cell.mark = .best } else if best.1.mean - s.mean <= max(best.1.deviation, s.deviation) { cell.mark = .withinSpread }
                }
                return cell
            }
        }
    }

    /// The name of a group's row: its label, or its one run's name.
    static func rowName(_ group: RunGroup) -> String { group.runs.count == 1 ? group.runs[0].name : group.label }

    /// The Table 4 layout with one row a group: each class's IoU and the mIoU as mean ± std (%)
    /// over its seeds, and the number of seeds. A column's best mean is marked `*`; a mean within
    /// the larger of the two groups' deviations from that best is marked `~` (`groupedCells`).
    public func groupedRows() -> (header: [String], rows: [[String]]) {
        let header = ["group", "seeds"] + classes + ["mIoU"]
        let rows = zip(groups, groupedCells()).map { group, cells in
            [Self.rowName(group), "\(group.runs.count)"] + cells.map { cell in
                guard let cell else { return "–" }
                let text = String(format: "%.1f ± %.1f", 100 * cell.mean, 100 * cell.deviation)
                return text + (cell.mark == .best ? " *" : cell.mark == .withinSpread ? " ~" : "")
            }
        }
        return (header, rows)
    }

    /// What the grouped table's numbers and marks are.
    static let groupedLegend = "IoU % at each run's latest evaluation, mean ± std over the seeds (numpy's std, ddof 0); * best mean; ~ within the seeds' spread of the best"

    /// The grouped table as aligned text (with a line that says what `*` and `~` mean),
    /// Markdown (the best mean in bold, `~` kept, the same line below), CSV (a mean, a std and a
    /// mark column a class and the mIoU, in per cent) or JSON (fractions, as `metrics.jsonl`;
    /// each group's runs and seeds). The numbers and marks are `groupedCells`' in every format.
    public func renderGrouped(_ format: Format = .text) -> String {
        switch format {
        case .text:
            let (header, rows) = groupedRows()
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max()! }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { column, cell in
                    column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: max(0, widths[column] - cell.count)) + cell
                }.joined(separator: "  ")
            }
            return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n" + Self.groupedLegend + "\n"
        case .markdown:
            let header = ["group", "seeds"] + classes + ["mIoU"]
            let rows = zip(groups, groupedCells()).map { group, cells in
                [Self.rowName(group), "\(group.runs.count)"] + cells.map { cell in
                    guard let cell else { return "–" }
                    let text = String(format: "%.1f ± %.1f", 100 * cell.mean, 100 * cell.deviation)
                    return cell.mark == .best ? "**\(text)**" : cell.mark == .withinSpread ? text + " ~" : text
                }
            }
            return "| " + header.joined(separator: " | ") + " |\n|" + header.indices.map { $0 == 0 ? "---" : "---:" }.joined(separator: "|") + "|\n"
                + rows.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n\n"
                + Self.groupedLegend.replacingOccurrences(of: "* best mean", with: "bold: best mean") + "\n"
        case .csv:
            let header = ["group", "seeds"] + (classes + ["mIoU"]).flatMap { ["\($0) IoU mean (%)", "\($0) IoU std (%)", "\($0) mark"] }
            let rows = zip(groups, groupedCells()).map { group, cells in
                [Self.rowName(group), "\(group.runs.count)"] + cells.flatMap { cell in
                    cell.map { [String(format: "%.2f", 100 * $0.mean), String(format: "%.2f", 100 * $0.deviation), $0.mark?.rawValue ?? ""] } ?? ["", "", ""]
                }
            }
            return ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .json:
            func cell(_ cell: GroupedCell?) -> String {
                guard let cell else { return "null" }
                return "{\"mean\": \(cell.mean), \"std\": \(cell.deviation), \"count\": \(cell.count), \"mark\": \(cell.mark.map { jsonString($0.rawValue) } ?? "null")}"
            }
            let objects = zip(groups, groupedCells()).map { group, cells in
                "{\"group\": \(jsonString(Self.rowName(group))), \"runs\": [" + group.runs.map { jsonString($0.name) }.joined(separator: ", ")
                    + "], \"seeds\": [" + group.runs.map { "\($0.configuration.seed)" }.joined(separator: ", ") + "], \"iou\": ["
                    + cells.dropLast().map(cell).joined(separator: ", ") + "], \"miou\": " + cell(cells.last ?? nil) + "}"
            }
            return "{\"classes\": [" + classes.map(jsonString).joined(separator: ", ") + "], \"std\": \"numpy's std, ddof 0\", \"groups\": ["
                + objects.joined(separator: ", ") + "]}\n"
        }
    }
}
