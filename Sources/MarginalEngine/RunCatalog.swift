import Foundation
import MarginalCore

/// A run as the listing and the comparison see it: its configuration, status and metrics.
public struct RunRecord: Sendable {
    public let name: String
    public let configuration: RunConfiguration
    public let status: RunStatus?
    public let evaluations: [EvalLine]

    public var bestMIoU: Double? { evaluations.compactMap(\.result.miou).max() }
    public var latest: EvaluationResult? { evaluations.last?.result }

    /// Reads a run folder; the metrics' last line is skipped when it is not complete (a run still
    /// being written), and so is any line that does not parse.
    public init(_ run: RunDirectory) throws(MarginalError) {
        name = run.name
        configuration = try run.read(RunConfiguration.self, from: "config.json")
        status = try? run.read(RunStatus.self, from: "status.json")
        evaluations = readMetricLines(run.file("metrics.jsonl")).compactMap { line in
            guard line.contains("\"type\":\"eval\"") else { return nil }
            return try? JSONDecoder().decode(EvalLine.self, from: Data(line.utf8))
        }
    }

    /// Every run folder (one with a config.json) under `runsFolder`, by name.
    public static func all(in runsFolder: URL) -> [RunRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsFolder.path)) ?? []
        return names.sorted().compactMap { name in
            guard let run = try? RunDirectory(runsFolder: runsFolder, name: name),
                  FileManager.default.fileExists(atPath: run.file("config.json").path) else { return nil }
            return try? RunRecord(run)
        }
    }
}

/// The complete lines of a metrics file: text after the last newline is a line still being written.
public func readMetricLines(_ url: URL) -> [String] {
    guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
    let text = String(decoding: data, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    if !text.hasSuffix("\n"), !lines.isEmpty { lines.removeLast() }
    return lines
}
