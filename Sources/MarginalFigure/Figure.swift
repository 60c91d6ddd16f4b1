/// A figure: a line chart or a ternary map. The value every renderer draws — the file
/// renderers of MarginalPlot (`svg()`, `png()`, `pdf()`) and the terminal's widgets — so a
/// screen and its export, built by one builder, cannot disagree.
public enum Figure: Sendable, Equatable {
    case lines(LineChart)
    case ternary(TernaryMap)

    public var width: Double {
        switch self {
        case .lines(let chart): chart.width
        case .ternary(let map): map.width
        }
    }

    public var height: Double {
        switch self {
        case .lines(let chart): chart.height
        case .ternary(let map): map.height
        }
    }

    public var title: String {
        switch self {
        case .lines(let chart): chart.title
        case .ternary(let map): map.title
        }
    }

    /// The line chart, nil for a ternary map.
    public var lineChart: LineChart? {
        if case .lines(let chart) = self { chart } else { nil }
    }

    /// The ternary map, nil for a line chart.
    public var ternaryMap: TernaryMap? {
        if case .ternary(let map) = self { map } else { nil }
    }
}
