import Foundation
import Testing
import TestSupport

/// Every command of the README's table of the paper's claims runs and succeeds (issue 12,
/// "Done when"), and the table has the lesson's seven rows.
@Suite struct ClaimsTableTests {
    static func commands() throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "<!-- claims-table -->"), let end = text.range(of: "<!-- /claims-table -->") else { return [] }
        return text[start.upperBound ..< end.lowerBound].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| "), let last = line.split(separator: "|").last?.trimmingCharacters(in: .whitespaces),
                  last.hasPrefix("`marginal ") else { return nil }
            return String(last.dropFirst().dropLast())
        }
    }

    @Test func theTableHasSevenClaimsAndEveryCommandRuns() throws {
        let commands = try Self.commands()
        #expect(commands.count == 7)
        let folder = try makeTemporaryFolder("claims")
        defer { try? FileManager.default.removeItem(at: folder) }
        for command in commands {
            let arguments = command.split(separator: " ").dropFirst().map(String.init)
            let result = try MarginalProcess.run(arguments, in: folder)
            #expect(result.status == 0, "\(command): \(result.standardError)")
            #expect(!result.standardOutput.isEmpty, "\(command) printed nothing")
        }
    }

    @Test func theLessonPrintsTheTablesCommands() throws {
        let result = try MarginalProcess.run(["lesson", "--print"])
        #expect(result.status == 0)
        for command in try Self.commands() { #expect(result.standardOutput.contains("shell: " + command), "\(command)") }
    }
}
