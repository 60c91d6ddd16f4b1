import Foundation
import MarginalCore
import MarginalPlot

/// A view to export: its numbers and its figure, as `marginal curves`, `simplex` and `softmax`
/// would write them for the same parameters.
public struct ExportRequest: Sendable, Equatable {
    /// The file name without extension: the screen and its parameters, "curves-yhat0.1-lambda1".
    public let name: String
    public let table: DataTable
    public let figure: Figure

    public init(name: String, table: DataTable, figure: Figure) {
        self.name = name; self.table = table; self.figure = figure
    }
}

/// Writes `name.svg` and `name.csv` into `folder` (made if missing), each atomically; a name
/// already taken gets "-2", "-3", …, so that no export overwrites another. The outcome, as the
/// message the app's `update` takes.
public func writeExport(_ request: ExportRequest, into folder: URL) -> Message {
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var stem = request.name, attempt = 1
        func taken(_ stem: String) -> Bool {
            ["svg", "csv"].contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(stem).\($0)").path) }
        }
        while taken(stem) {
            attempt += 1
            stem = "\(request.name)-\(attempt)"
        }
        let svg = folder.appendingPathComponent("\(stem).svg"), csv = folder.appendingPathComponent("\(stem).csv")
        try writeAtomically(request.figure.svg(), to: svg)
        try writeAtomically(Data(request.table.csv().utf8), to: csv)
        return .exported(.success([svg.path, csv.path]))
    } catch let error as MarginalError {
        return .exported(.failure(ExportFailure(error.description)))
    } catch {
        return .exported(.failure(ExportFailure("cannot write into \(folder.path): \(error.localizedDescription)")))
    }
}

/// A number for a file name: "0.1", "2", "1e-05" → "0.1", "2", "1e-05" (no spaces, no signs to escape).
func fileNumber(_ x: Double) -> String { exactNumber(x).replacingOccurrences(of: "−", with: "-") }
