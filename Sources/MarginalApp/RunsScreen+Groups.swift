import MarginalCore
import MarginalRuns

/// Groups of seeds on the runs screen: the list folds runs that differ only in their seed
/// (`RunGroup.groups`) into one row, unfolded with `g`; on a folded row the monitor draws the
/// group's mean with a min…max band, and space marks all its seeds.
extension RunsScreen {
    /// One row of the list: a run, or a group's folded row (`group` set; `run` is its first seed).
    struct ListRow: Equatable {
        let run: RunRecord
        /// The group a folded (or unfolded) group's own row stands for; nil on a run's row.
        let group: RunGroup?
        /// A seed's row under its unfolded group.
        let isMember: Bool
    }

    /// The list as shown: the filtered, ordered runs, each group of two or more seeds as one
    /// row where its first listed run comes, followed by its seeds when unfolded.
    var listRows: [ListRow] {
        let listed = listed
        let groups = RunGroup.groups(of: listed)
        var groupOf: [String: Int] = [:]
        // Folded: two or more runs of distinct seeds (a run repeated with its seed is a rerun, not a seed).
        for (index, group) in groups.enumerated() where group.runs.count > 1 && Set(group.runs.map(\.configuration.seed)).count == group.runs.count {
            for run in group.runs { groupOf[run.name] = index }
        }
        var rows: [ListRow] = [], shown = Set<Int>()
        for run in listed {
            guard let index = groupOf[run.name] else {
                rows.append(ListRow(run: run, group: nil, isMember: false))
                continue
            }
            guard shown.insert(index).inserted else { continue }
            let group = groups[index]
            rows.append(ListRow(run: group.runs[0], group: group, isMember: false))
            if unfoldedGroups.contains(group.runs[0].name) {
                // The seeds in the list's order.
                rows += listed.filter { groupOf[$0.name] == index }.map { ListRow(run: $0, group: nil, isMember: true) }
            }
        }
        return rows
    }

    /// The row of run `name` (a group's own row when `group`); a run folded away stands at its
    /// group's row.
    func index(ofRowFor name: String?, group: Bool, in rows: [ListRow]) -> Int? {
        guard let name else { return nil }
        if let exact = rows.firstIndex(where: { $0.run.name == name && ($0.group != nil) == group }) { return exact }
        return rows.firstIndex { $0.group?.runs.contains { $0.name == name } == true }
    }

    mutating func select(_ row: ListRow) {
        selectedName = row.run.name
        selectedIsGroup = row.group != nil
    }

    mutating func selectFirstRow() {
        if let row = listRows.first { select(row) } else { selectedName = nil; selectedIsGroup = false }
    }

    /// The group whose folded row is selected (nil on a run's row); the monitor draws it.
    var selectedGroup: RunGroup? {
        guard selectedIsGroup, let selectedName else { return nil }
        return RunGroup.groups(of: runs).first { group in
            group.runs.count > 1 && Set(group.runs.map(\.configuration.seed)).count == group.runs.count && group.runs.contains { $0.name == selectedName }
        }
    }

    /// `g`: unfolds the selected group into its seeds, or folds it (from any of its rows).
    mutating func toggleGroupFold() -> Response {
        let rows = listRows
        guard let index = selectedIndex else { return .handled }
        let row = rows[index]
        let group = row.group ?? RunGroup.groups(of: listed).first { $0.runs.count > 1 && $0.runs.contains { $0.name == row.run.name } }
        guard let group, let key = group.runs.first?.name else { return .message("\(row.run.name) is a single run: no other seed of its configuration") }
        if unfoldedGroups.contains(key) {
            unfoldedGroups.remove(key)
            selectedName = key
            selectedIsGroup = true
        } else {
            unfoldedGroups.insert(key)
        }
        return .handled
    }

    /// "3 seeds: 2 done 1 running", states in the order running, stopped, failed, done.
    static func seedSummary(_ group: RunGroup) -> String {
        let counts = [RunState.running, .stopped, .failed, .done].compactMap { state -> String? in
            let count = group.runs.filter { $0.state == state }.count
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }
        return "\(group.runs.count) seeds: " + counts.joined(separator: " ")
    }

    /// The state a group's row is coloured by: running while any seed runs, else failed, stopped, done.
    static func groupState(_ group: RunGroup) -> RunState {
        [RunState.running, .failed, .stopped].first { state in group.runs.contains { $0.state == state } } ?? .done
    }

    /// "63.1±1.2": the mean ± std (numpy's, ddof 0) of the seeds' latest mIoU in per cent, from `RunGroup`.
    static func meanAndSpread(_ group: RunGroup) -> String {
        let classes = group.runs[0].classNames.count
        guard let s = group.meanAndDeviation(column: classes, classes: classes) else { return "–" }
        return String(format: "%.1f±%.1f", 100 * s.mean, 100 * s.deviation)
    }

    /// The x range of what the monitor draws: its run's, or (a group's row) the longest seed's.
    func monitoredDomain(_ run: RunRecord) -> ClosedRange<Double> {
        let members = selectedGroup?.runs ?? [run]
        let domains = members.map { Self.xDomain($0, axis: axis) }
        return domains.map(\.lowerBound).min()! ... domains.map(\.upperBound).max()!
    }
}
