import Foundation
import Testing
import MarginalCore
import TestSupport

/// Issue 16, defect 4: `--grad-dir` into a missing folder silently created the whole path while
/// `--out` refused it. One rule now (docs/CONVENTIONS.md, "Outputs"): marginal creates the file or
/// folder named, never the folders above it; a refusal is one line, exit 2, nothing written.
@Suite final class OutputFolderRuleTests {
    let folder: URL

    init() throws {
        folder = try makeTemporaryFolder("outputs")
        let batch = randomBatch(batchSize: 1, classes: 3, height: 2, width: 3, seed: 4)
        try writeNPY(batch.logits, shape: [1, 3, 2, 3], to: folder.appendingPathComponent("z.npy"))
        try writeNPY(labels: batch.labels, shape: [1, 2, 3], to: folder.appendingPathComponent("y.npy"))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path) }

    @Test func theNamedFolderIsCreatedButNotTheFoldersAboveIt() throws {
        let made = try MarginalProcess.run(["decompose", "--logits", "z.npy", "--labels", "y.npy", "--grad-dir", "grads"], in: folder)
        #expect(made.status == 0, "\(made.standardError)")
        #expect(exists("grads/ce.npy"))

        let deep = try MarginalProcess.run(["decompose", "--logits", "z.npy", "--labels", "y.npy", "--grad-dir", "typo/grads"], in: folder)
        #expect(deep.status == 2)
        #expect(deep.standardError.split(separator: "\n").count == 1, "\(deep.standardError)")
        #expect(deep.standardError.contains("--grad-dir typo/grads") && deep.standardError.contains("does not exist"), "\(deep.standardError)")
        #expect(deep.standardOutput.isEmpty && !exists("typo"))

        try Data().write(to: folder.appendingPathComponent("plain"))
        let file = try MarginalProcess.run(["decompose", "--logits", "z.npy", "--labels", "y.npy", "--grad-dir", "plain"], in: folder)
        #expect(file.status == 2 && file.standardError.contains("not a folder"), "\(file.standardError)")
    }

    @Test func outIntoAMissingFolderIsRefusedTheSameWay() throws {
        let result = try MarginalProcess.run(["curves", "--out", "typo/fig.svg"], in: folder)
        #expect(result.status == 2)
        #expect(result.standardError.split(separator: "\n").count == 1 && result.standardError.contains("does not exist"), "\(result.standardError)")
        #expect(!exists("typo"))
    }
}
