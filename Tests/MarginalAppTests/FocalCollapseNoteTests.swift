import Foundation
import Testing
import MarginalCore
import MarginalRuns
import TestSupport

/// The collapse note says what is true of the run's loss (issue 12, item 3): focal is not CE, so
/// it names no "CE's hidden KL"; a CE-based loss's note keeps it.
@Suite struct FocalCollapseNoteTests {
    @Test func focalsNoteNamesNoHiddenKL() throws {
        #expect(!LossName.focal.carriesHiddenKL && LossName.ce.carriesHiddenKL && LossName.ceL1.carriesHiddenKL && !LossName.dice.carriesHiddenKL)
        let folder = try makeTemporaryFolder("focal-collapse")
        defer { try? FileManager.default.removeItem(at: folder) }
        for loss in ["focal", "ce"] {
            let run = try RunFixture(runsFolder: folder, name: "lesions-\(loss)", dataset: "lesions", loss: loss,
                                     classes: ["background", "lesion"], steps: 40)
            for step in stride(from: 10, through: 40, by: 10) {
                let hard = step >= 20 ? 0.0 : 0.015
                try run.append(RunFixture.evalLine(step: step, time: Double(step), iou: [0.97, 0], soft: [0.99, 0.01],
                                                   hard: [1 - hard, hard], target: [0.98, 0.02]))
            }
            try run.status("done", step: 40)
        }
        let runs = RunRecord.all(in: folder)
        let focal = try #require(runs.first { $0.name == "lesions-focal" }?.collapseNote)
        #expect(!focal.contains("CE's hidden KL") && focal.contains("nor is it CE"), "\(focal)")
        let ce = try #require(runs.first { $0.name == "lesions-ce" }?.collapseNote)
        #expect(ce.contains("CE's hidden KL"), "\(ce)")
    }
}
