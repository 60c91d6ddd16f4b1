import MarginalCore
import MarginalRuns
import TerminalUI
import MarginalFigure

extension RunsScreen {
    /// The comparison as `RunComparison` makes it (nil when the runs cannot be compared).
    var comparison: RunComparison? { try? RunComparison(runs: comparedRuns) }

    /// One class's validation IoU across the compared runs: `RunPlot`'s figure (the export's),
    /// across the longest run's planned length.
    static func classChart(_ runs: [RunRecord], classIndex k: Int, axis: HistoryAxis) -> LineChartView {
        LineChartView(classFigure(runs, classIndex: k, axis: axis) ?? emptyChart(axis), markerSpacing: 0)
    }

    /// Where the comparison's table lands in `area`, and the screen columns of its class and
    /// mIoU columns (those that fit), in order: one function for drawing and clicks.
    /// With a group of two or more seeds among the runs, one row a group (`groupedRows`: mean ±
    /// std over the seeds, their number, `*` the best mean, `~` within the seeds' spread of it).
    static func comparisonTable(_ comparison: RunComparison, in area: Rect) -> (table: TableView, area: Rect, columns: [Range<Int>]) {
        let grouped = showsGroups(comparison)
        let (groupHeader, groupRows) = grouped ? comparison.groupedRows() : ([], [])
        let leading = grouped ? 2 : 1  // the columns before the classes'
        // Class names whole where the table fits, else cut to 9 characters.
        func makeTable(nameLength: Int) -> TableView {
            let classes = comparison.classes.map { String($0.prefix(nameLength)) }
            return grouped
                ? TableView(header: Array(groupHeader.prefix(leading)) + classes + ["mIoU"], rows: groupRows,
                            alignments: [.left] + Array(repeating: .right, count: groupHeader.count - 1), spacing: 2)
                : TableView(header: ["run"] + classes + ["mIoU"], rows: comparison.rows, spacing: 2)
        }
        let whole = makeTable(nameLength: .max), wholeWidths = whole.columnWidths()
        let table = wholeWidths.reduce(0, +) + whole.spacing * (wholeWidths.count - 1) <= area.width ? whole : makeTable(nameLength: 9)
        let tableArea = Rect(x: area.x, y: area.y + 2, width: area.width, height: min(table.rows.count + 1, area.height / 2))
        let widths = table.columnWidths()
        var columns: [Range<Int>] = []
        var columnX = tableArea.x + widths.prefix(leading).reduce(0, +) + leading * table.spacing
        for width in widths.dropFirst(leading) {
            guard columnX + width <= tableArea.maxX else { break }
            columns.append(columnX ..< columnX + width)
            columnX += width + table.spacing
        }
        return (table, tableArea, columns)
    }

    /// Whether the compared runs hold a group of two or more seeds (then the table has a row a group).
    static func showsGroups(_ comparison: RunComparison) -> Bool { comparison.groups.contains { $0.runs.count > 1 } }

    func renderComparison(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        guard let comparison else {
            buffer.write("the compared runs are gone; Esc goes back to the list", in: area.top(1), .dim)
            return
        }
        let grouped = Self.showsGroups(comparison)
        buffer.write(grouped ? "Comparison · Table 4 layout · validation IoU (%), mean ± std over each group's seeds (numpy's std, ddof 0)"
                     : "Comparison · Table 4 layout · validation IoU (%) at each run's latest evaluation · best in bold",
                     in: area.top(1), .bold)
        if grouped {
            buffer.write("* best mean · ~ within the seeds' spread of the best: a difference another seed could undo",
                         x: area.x, y: area.y + 1, .dim, limit: area.width)
        }
        let (table, tableArea, columns) = Self.comparisonTable(comparison, in: area)
        table.render(in: tableArea, into: &buffer, theme: theme)
        for (column, span) in columns.enumerated() {
            for run in grouped ? [] : comparison.best(column: column) where 2 + run < tableArea.height {
                let style = Style(foreground: theme.color(Palette.green.terminal), attributes: theme.hasColor ? .bold : [.bold, .underline])
                buffer.restyle(Rect(x: span.lowerBound, y: tableArea.y + 2 + run, width: span.count, height: 1), style)
            }
            if column == compareClass, tableArea.height > 0 {
                buffer.restyle(Rect(x: span.lowerBound, y: tableArea.y, width: span.count, height: 1), Style(attributes: [.bold, .underline]))
            }
        }
        // The compared class beyond its IoU: ŷ, p̂ at τ = 1 and at the run's τ, hard, IoU, Dice.
        var chartTop = tableArea.maxY + 1
        let detail = comparison.detail(classIndex: compareClass)
        if compareClass < comparison.classes.count, area.maxY - chartTop >= detail.rows.count + 2 + 10 {
            buffer.write("\(comparison.classes[compareClass]) (← →): ŷ, p̂ at τ = 1 and at the run's τ (what L1/KL see), hard, IoU, Dice (%)",
                         x: area.x, y: chartTop, .dim, limit: area.width)
            let detailArea = Rect(x: area.x, y: chartTop + 1, width: area.width, height: detail.rows.count + 1)
            TableView(header: detail.header, rows: detail.rows, alignments: [.left, .left] + Array(repeating: .right, count: 7), spacing: 2)
                .render(in: detailArea, into: &buffer, theme: theme)
            chartTop = detailArea.maxY + 1
        }
        let chartArea = Rect(x: area.x, y: chartTop, width: area.width, height: area.maxY - chartTop)
        Self.classChart(comparison.runs, classIndex: compareClass, axis: axis).render(in: chartArea, into: &buffer, theme: theme)
    }
}
