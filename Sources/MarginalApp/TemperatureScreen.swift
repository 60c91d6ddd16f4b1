import Foundation
import MarginalCore
import MarginalFigure
import TerminalUI

/// The paper's Fig. 5 and Appendix C: the soft-max with temperature τ, and on a sample soft
/// prediction the proportion p̂ at τ against the hard (argmax) proportion it estimates.
public struct TemperatureScreen: Screen, Sendable, Equatable {
    static let id = ScreenID.temperature
    static let title = "Temperature"
    static let summary = "Fig. 5, Appendix C"

    /// τ = 10^(step/50): coarse keys move 5 steps (×1.26), fine ones 1 (×1.05); τ = 1 is step 0
    /// and the paper's τ = 10 step 50, both reached exactly.
    public var step = 0

    public init() {}

    static let stepRange = -50 ... 100
    public var tau: Double { tauOf(step) }
    func tauOf(_ step: Int) -> Double { step == 0 ? 1 : (step == 50 ? 10 : (step == 100 ? 100 : pow10(Double(step) / 50))) }

    // MARK: Input

    public mutating func handle(_ key: Key) -> Response {
        if let nudge = Nudge(key) {
            step = min(max(step + Int(nudge.sign) * (nudge.fine ? 1 : 5), Self.stepRange.lowerBound), Self.stepRange.upperBound)
            return .handled
        }
        if key == .character("t") {
            step = step == 50 ? 0 : 50
            return .handled
        }
        return .ignored
    }

    public mutating func reset() { self = TemperatureScreen() }

    // MARK: Numbers (all from MarginalCore)

    static let fixedTemperatures = [1.0, 2, 5, 10]

    /// p̂ of the sample at τ.
    func soft(_ tau: Double) -> [Double] { labelMarginals(Sample.batch, temperature: tau).predicted[0]! }

    // MARK: Drawing

    private func split(_ area: Rect) -> (top: Rect, bottom: Rect, panel: Rect) {
        let parts = area.columns([.fill, .fixed(1), .fixed(panelWidth(area.width))])
        let charts = parts[0].rows([.fill, .fill])
        return (charts[0], charts[1], parts[2])
    }


    /// The τ of the top chart: 1, 2, 5, 10 and the chosen one.
    var temperatures: [Double] {
        var temperatures = Self.fixedTemperatures
        if !temperatures.contains(tau) { temperatures.append(tau) }
        return temperatures
    }

    /// The bottom chart: p̂ of each class of the sample over τ (log scale), the hard
    /// proportions as dashed rules in the class's colour, the chosen τ as a rule; the export's
    /// second figure and `marginal softmax --proportions`'s.
    var proportionChart: LineChart { proportions.figure().lineChart! }

    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let (top, bottom, panelArea) = split(area)
        let markerSpacing = theme.colors == .extended ? 0 : 10
        LineChartView(softmaxChart, markerSpacing: markerSpacing).render(in: top, into: &buffer, theme: theme)
        LineChartView(proportionChart, markerSpacing: markerSpacing).render(in: bottom, into: &buffer, theme: theme)

        let hard = Sample.hard
        let now = soft(tau), one = Sample.softAtOne
        var panel = Panel(panelArea)
        panel.line("Temperature · Fig. 5, App. C", .bold, into: &buffer)
        panel.gap()
        panel.field("τ", fixed(tau, tau < 10 ? 3 : 2), selected: true, labelWidth: 4, into: &buffer)
        panel.gap()
        panel.line("a soft prediction, \(Sample.side)×\(Sample.side) px:", .dim, into: &buffer)
        let rows = (0 ..< Sample.classes).map { k in
            [Sample.names[k], percent(Sample.target[k]), percent(hard[k]), percent(one[k]), percent(now[k])]
        }
        TableView(header: ["class", "ŷ", "hard", "τ=1", "τ"], rows: rows, spacing: 1)
            .render(in: panel.take(rows.count + 1), into: &buffer, theme: theme)
        panel.line("  (% of pixels)", .dim, into: &buffer)
        panel.gap()
        let gap = SimplexPenalty.l1.value(predicted: now, target: hard)
        panel.line("Σ|p̂ − hard| at τ   " + fixed(gap, 4), into: &buffer)
        panel.line("Σ|p̂ − hard| at τ=1 " + fixed(SimplexPenalty.l1.value(predicted: one, target: hard), 4), into: &buffer)
        panel.gap()
        panel.paragraph("The larger τ, the closer each pixel's soft-max to a vertex, so the closer p̂ to the proportion "
                        + "the segmentation shows. The paper uses τ = 10, for p̂ only.", into: &buffer)
    }

    // MARK: Help

    public var keys: [(key: String, action: String)] {
        [("↑↓←→ hjkl", "change τ (×1.26 a step; Shift or HJKL: ×1.05)"),
         ("t", "τ = 10 (the paper's) ↔ τ = 1"),
         ("r", "reset")]
    }

    public var hints: [(key: String, action: String)] { [("↑↓", "τ"), ("t", "τ=10")] }

    public var about: String {
        "Top: the two-class soft-max with temperature, s(τz)₁ = 1/(1 + e^(−τz)) (Eq. 22, the paper's Fig. 5), for τ = 1, "
            + "2, 5, 10 and yours. Bottom: on a fixed sample soft prediction of three classes, the predicted proportion "
            + "p̂ₖ = mean of softmax(τz)ₖ (Appendix C) as τ grows, against the hard (argmax) proportion of each class (dashes). "
            + "A large τ makes p̂ estimate the predicted region size; the penalties R(ŷ, p̂) use it."
    }
}

private func pow10(_ x: Double) -> Double { Foundation.pow(10, x) }

extension ScreenID {
    public static let temperature = ScreenID("temperature")
}

extension AppState {
    /// The Temperature screen's state.
    public var temperature: TemperatureScreen {
        get { self[TemperatureScreen.self] }
        set { self[TemperatureScreen.self] = newValue }
    }
}

extension TemperatureScreen {
    /// `temperature:tau=10`: τ to four digits, read back to the nearest of the screen's steps
    /// (10^(k/50), 5 % apart), so that the string and the screen agree.
    static var stateKeys: [StateKey<TemperatureScreen>] {
        let screen = TemperatureScreen()
        let range = screen.tauOf(stepRange.lowerBound) ... screen.tauOf(stepRange.upperBound)
        return [StateKey(name: "tau", read: { String(format: "%.4g", $0.tau) }, write: { screen, text throws(StateError) in
            let tau = try parseNumber("tau", text, in: range)
            screen.step = Int((50 * log10(tau)).rounded())
        })]
    }
}
