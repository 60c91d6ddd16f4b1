import Foundation
import Testing
import TestSupport

/// Every command of the README's table of the paper's claims runs and succeeds (issue 12,
/// "Done when"; a command on a run, on a run trained for it), and the table has the lesson's
/// seven rows, whose first commands are the lesson's.
@Suite struct ClaimsTableTests {
    /// Each row's commands: every `marginal …` in backticks in its last column, the lesson's first.
    static func rows() throws -> [[String]] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "<!-- claims-table -->"), let end = text.range(of: "<!-- /claims-table -->") else { return [] }
        return text[start.upperBound ..< end.lowerBound].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| "), let last = line.split(separator: "|").last else { return nil }
            let commands = last.split(separator: "`").map(String.init).filter { $0.hasPrefix("marginal ") }
            return commands.isEmpty ? nil : commands
        }
    }

    @Test func theTableHasSevenClaimsAndEveryCommandRuns() throws {
        let rows = try Self.rows()
        #expect(rows.count == 7)
        let folder = try makeTemporaryFolder("claims")
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in rows.joined() {
            let arguments = command.split(separator: " ").dropFirst().map(String.init)
            // A command on a run: the run, trained for a few steps on the dataset and loss its name gives.
            if let at = arguments.firstIndex(of: "--run"), at + 1 < arguments.count,
               !FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs/\(arguments[at + 1])").path) {
                let name = arguments[at + 1], parts = name.split(separator: "-", maxSplits: 1).map(String.init)
                let train = try MarginalProcess.run(["train", "--dataset", parts[0], "--loss", parts[1], "--steps", "4", "--size", "16",
                                                     "--width", "4", "--batch", "4", "--eval-every", "4", "--run", name], in: folder)
                #expect(train.status == 0, "\(train.standardError)")
            }
            let result = try MarginalProcess.run(arguments, in: folder)
            #expect(result.status == 0, "\(command): \(result.standardError)")
            #expect(!result.standardOutput.isEmpty, "\(command) printed nothing")
            if command.contains("--decompose") {
                for term in ["entropy", "kl", "label"] { #expect(result.standardOutput.contains(term), "\(command): \(result.standardOutput)") }
            }
        }
    }

    @Test func theLessonPrintsTheTablesCommands() throws {
        let result = try MarginalProcess.run(["lesson", "--print"])
        #expect(result.status == 0)
        for row in try Self.rows() { #expect(result.standardOutput.contains("shell: " + row[0]), "\(row[0])") }
    }
}
