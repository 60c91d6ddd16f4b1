import Foundation
import Testing
import MarginalCore
import TestSupport
@testable import MarginalRuns

/// Runs that differ only in their seed form a group; the comparison gives mean ± std over the
/// seeds (numpy's std, ddof 0) and marks a difference within the seeds' spread.
@Suite struct RunGroupTests {
    let runs: [RunRecord]

    /// ce_l1 on seeds 1, 2, 3 (lesion IoU 0.30, 0.36, 0.27) and ce on seeds 1, 2 (0.31, 0.33).
    init() throws {
        let folder = try makeTemporaryFolder("run-groups")
        let classes = ["background", "lesion"]
        for (loss, ious) in [("ce_l1", [0.30, 0.36, 0.27]), ("ce", [0.31, 0.33])] {
            for (i, iou) in ious.enumerated() {
                let name = "lesions-\(loss)-\(i + 1)"
                let run = try RunFixture(runsFolder: folder, name: name, dataset: "lesions", loss: loss, classes: classes, steps: 10)
                // The fixture writes seed 1: the seed is what tells the group's runs apart.
                let config = run.folder.appendingPathComponent("config.json")
                let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"seed\": 1", with: "\"seed\": \(i + 1)")
                try Data(text.utf8).write(to: config)
                try run.append(RunFixture.evalLine(step: 10, time: 1, iou: [0.97, iou], soft: [0.98, 0.02], hard: [0.98, 0.02], target: [0.98, 0.02]))
                try run.status("done", step: 10)
            }
        }
        runs = RunRecord.all(in: folder)
    }

    @Test func seedsGroupWithNumpysMeanAndDeviation() throws {
        let groups = RunGroup.groups(of: runs)
        #expect(groups.map { $0.runs.map(\.name) } == [["lesions-ce-1", "lesions-ce-2"], ["lesions-ce_l1-1", "lesions-ce_l1-2", "lesions-ce_l1-3"]])
        // numpy: a = np.array([0.30, 0.36, 0.27]); a.mean(), a.std() → 0.31, 0.0374165738677394
        let l1 = try #require(groups[1].meanAndDeviation(column: 1, classes: 2))
        #expect(abs(l1.mean - 0.31) < 1e-12 && abs(l1.deviation - 0.0374165738677394) < 1e-12 && l1.count == 3)
        // mIoU per run (0.97 + IoU) / 2: numpy mean 0.64, std 0.018708286933869726
        let miou = try #require(groups[1].meanAndDeviation(column: 2, classes: 2))
        #expect(abs(miou.mean - 0.64) < 1e-12 && abs(miou.deviation - 0.018708286933869726) < 1e-12)
        // [0.31, 0.33]: 0.32 ± 0.01
        let ce = try #require(groups[0].meanAndDeviation(column: 1, classes: 2))
        #expect(abs(ce.mean - 0.32) < 1e-12 && abs(ce.deviation - 0.01) < 1e-12)
    }

    @Test func theGroupedTableMarksDifferencesWithinTheSpread() throws {
        let comparison = try RunComparison(runs: runs)
        let (header, rows) = comparison.groupedRows()
        #expect(header == ["group", "seeds", "background", "lesion", "mIoU"])
        #expect(rows[0][1] == "2" && rows[1][1] == "3")
        // ce's 32.0 is the best lesion mean; ce_l1's 31.0 is within its 3.7 spread.
        #expect(rows[0][3] == "32.0 ± 1.0 *")
        #expect(rows[1][3] == "31.0 ± 3.7 ~")
        #expect(rows[1][0] == "lesions · ce_l1 λ 1 τ 10 · 3 seeds")
        #expect(comparison.renderGrouped().contains("mean ± std over the seeds"))
    }

    /// Every format of the grouped table gives the same numbers and marks: Markdown bolds the
    /// best, CSV has a mean, std and mark column a class, JSON the fractions and each group's seeds.
    @Test func theGroupedTableInEveryFormat() throws {
        let comparison = try RunComparison(runs: runs)
        let markdown = comparison.renderGrouped(.markdown)
        #expect(markdown.contains("| **32.0 ± 1.0** |") && markdown.contains("| 31.0 ± 3.7 ~ |") && markdown.contains("bold: best mean"))
        let csv = comparison.renderGrouped(.csv).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(csv[0].prefix(5) == ["group", "seeds", "background IoU mean (%)", "background IoU std (%)", "background mark"])
        let lesion = try #require(csv[0].firstIndex(of: "lesion IoU mean (%)"))
        #expect(csv[1][1] == "2" && csv[1][lesion ... lesion + 2] == ["32.00", "1.00", "best"])
        #expect(csv[2][1] == "3" && csv[2][lesion ... lesion + 2] == ["31.00", "3.74", "within_spread"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(comparison.renderGrouped(.json).utf8)) as? [String: Any])
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(json["classes"] as? [String] == ["background", "lesion"] && groups.count == 2)
        #expect(groups[1]["seeds"] as? [Int] == [1, 2, 3] && (groups[1]["runs"] as? [String])?.count == 3)
        let l1 = try #require((groups[1]["iou"] as? [[String: Any]])?[1])
        #expect(abs((l1["mean"] as? Double ?? 0) - 0.31) < 1e-12 && abs((l1["std"] as? Double ?? 0) - 0.0374165738677394) < 1e-12)
        #expect(l1["mark"] as? String == "within_spread" && l1["count"] as? Int == 3)
        let miou = try #require(groups[1]["miou"] as? [String: Any])
        #expect(abs((miou["mean"] as? Double ?? 0) - 0.64) < 1e-12)
    }
}
