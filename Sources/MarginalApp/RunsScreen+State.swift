import Foundation
import MarginalCore
import MarginalRuns
import MarginalFigure

/// The orders of the runs list.
public enum RunSort: String, Sendable, CaseIterable {
    case name, status
    /// Best validation mIoU, highest first (runs without an evaluation last).
    case best
    /// Start time, newest first.
    case started

    var next: RunSort { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }

    /// What the list's title says.
    var label: String {
        switch self {
        case .name: "name"
        case .status: "status"
        case .best: "best mIoU"
        case .started: "start time"
        }
    }

    func ordered(_ runs: [RunRecord]) -> [RunRecord] {
        switch self {
        case .name: return runs.sorted { $0.name < $1.name }
        case .status:
            let rank: [RunState: Int] = [.running: 0, .stopped: 1, .failed: 2, .done: 3]
            return runs.sorted { (rank[$0.state] ?? 9, $0.name) < (rank[$1.state] ?? 9, $1.name) }
        case .best: return runs.sorted { ($0.bestMIoU ?? -1, $1.name) > ($1.bestMIoU ?? -1, $0.name) }
        case .started:
            return runs.sorted { ($0.started ?? .distantPast, $1.name) > ($1.started ?? .distantPast, $0.name) }
        }
    }
}

extension RunsScreen {
    /// The screen's adjustable settings as one line, `runs:sort=best,filter=ce,…` (only what
    /// differs from the defaults), which `apply(state:)` reads back.
    public var stateString: String {
        var parts: [String] = []
        if sort != .name { parts.append("sort=\(sort.rawValue)") }
        if !filter.isEmpty { parts.append("filter=\(filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.*^$[]|()?"))) ?? filter)") }
        if axis != .step { parts.append("x=\(axis.rawValue)") }
        if smoothing != 0.6 { parts.append("smoothing=\(exactNumber(smoothing))") }
        if logarithmicLoss { parts.append("logy=1") }
        if let zoom { parts.append("zoom=\(exactNumber(zoom.lowerBound))..\(exactNumber(zoom.upperBound))") }
        if !hiddenClasses.isEmpty { parts.append("hide=" + hiddenClasses.sorted().map(String.init).joined(separator: "+")) }
        if let selectedName, mode == .monitor { parts.append("run=\(selectedName)") }
        return "runs:" + parts.joined(separator: ",")
    }

    /// Sets the screen from a line `stateString` wrote; one line of error for a key or value it
    /// does not know.
    public mutating func apply(state text: String) throws(MarginalError) {
        var body = Substring(text)
        if body.hasPrefix("runs:") { body = body.dropFirst(5) }
        var next = self
        next.reset()
        for part in body.split(separator: ",") where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw MarginalError("runs state '\(part)': expected key=value") }
            let (key, value) = (pair[0], pair[1])
            switch key {
            case "sort":
                guard let sort = RunSort(rawValue: value) else { throw MarginalError("runs state sort=\(value): choose name, status, best or started") }
                next.sort = sort
            case "filter": next.filter = value.removingPercentEncoding ?? value
            case "x":
                guard let axis = HistoryAxis(rawValue: value) else { throw MarginalError("runs state x=\(value): choose step or time") }
                next.axis = axis
            case "smoothing":
                guard let w = Double(value), (0 ... 0.999).contains(w) else { throw MarginalError("runs state smoothing=\(value): a number from 0 to 0.999") }
                next.smoothing = w
            case "logy": next.logarithmicLoss = value == "1"
            case "zoom":
                let ends = value.components(separatedBy: "..").compactMap { Double($0) }
                guard ends.count == 2, 0 <= ends[0], ends[0] < ends[1], ends[1] <= 1 else {
                    throw MarginalError("runs state zoom=\(value): two fractions a..b with 0 ≤ a < b ≤ 1")
                }
                next.zoom = ends[0] ... ends[1]
            case "hide":
                let classes = value.split(separator: "+").compactMap { Int($0) }
                guard classes.count == value.split(separator: "+").count, classes.allSatisfy({ $0 >= 0 }) else {
                    throw MarginalError("runs state hide=\(value): class indices joined by +")
                }
                next.hiddenClasses = Set(classes)
            case "run":
                next.selectedName = value
                next.mode = .monitor
            default: throw MarginalError("runs state: unknown key '\(key)' (sort, filter, x, smoothing, logy, zoom, hide, run)")
            }
        }
        // What the watcher reported stays: only the settings change.
        next.runs = runs; next.loaded = loaded; next.runsFolder = runsFolder
        self = next
    }
}

extension RunsScreen {
    /// `runs:run=ce-1,view=monitor,step=200,zoom=0.5,1,hidden=1,smoothing=0.9,log=on` or
    /// `runs:view=compare,runs=ce-1,l1-1,class=2`:
    /// the run by name (the view falls back to the list when no such run is read).
    static var stateKeys: [StateKey<RunsScreen>] {
        [StateKey(name: "run", read: { $0.selectedName ?? "" }, write: { screen, text throws(StateError) in
            screen.selectedName = text.isEmpty ? nil : text
         }),
         StateKey(name: "view", read: { screen in
            switch screen.mode {
            case .list, .form: "list"
            case .monitor: "monitor"
            case .compare: "compare"
            }
         }, write: { screen, text throws(StateError) in
            switch text {
            case "list": screen.mode = .list
            case "monitor": screen.mode = .monitor
            case "compare": screen.mode = .compare
            default: throw StateError("view=\(text): list, monitor or compare")
            }
         }),
         StateKey(name: "runs", read: { $0.compared.joined(separator: ",") }, write: { screen, text throws(StateError) in
            guard screen.mode == .compare else { throw StateError("runs=\(text): the runs compared, with view=compare") }
            screen.compared = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
         }),
         StateKey(name: "step", read: { $0.inspectedStep.map(String.init) ?? "" }, write: { screen, text throws(StateError) in
            guard screen.mode == .monitor, let step = Int(text), step >= 0 else {
                throw StateError("step=\(text): the monitor's inspected evaluation, a step, with view=monitor")
            }
            screen.inspectedStep = step
         }),
         StateKey(name: "zoom", read: { $0.zoom.map { "\(stateNumber($0.lowerBound)),\(stateNumber($0.upperBound))" } ?? "" },
                  write: { screen, text throws(StateError) in
            let ends = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard ends.count == 2, 0 <= ends[0], ends[0] < ends[1], ends[1] <= 1 else {
                throw StateError("zoom=\(text): the monitor's x span as two fractions of the data's range, 0 ≤ from < to ≤ 1")
            }
            screen.zoom = ends[0] ... ends[1]
         }),
         StateKey(name: "hidden", read: { $0.hiddenClasses.sorted().map { String($0 + 1) }.joined(separator: ",") },
                  write: { screen, text throws(StateError) in
            let classes = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !classes.isEmpty, classes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw StateError("hidden=\(text): the classes the monitor's charts leave out, by number from 1")
            }
            screen.hiddenClasses = Set(classes.compactMap { $0.map { $0 - 1 } })
         }),
         .integer("class", \.compareClass, in: 0 ... 255),
         .choice("sort", \.sort),
         StateKey(name: "filter", read: \.filter, write: { screen, text in screen.filter = text }),
         .number("smoothing", \.smoothing, in: 0 ... 0.999),
         .choice("axis", \.axis),
         .flag("log", \.logarithmicLoss)]
    }
}
