import Foundation
import MarginalCore
import MarginalPlot
import MarginalFigure

/// A view to export: its numbers and its figure, as `marginal curves`, `simplex` and `softmax`
/// would write them for the same parameters.
public struct ExportRequest: Sendable, Equatable {
    /// The file name without extension: the screen and its parameters, "curves-yhat0.1-lambda1".
    public let name: String
    public let table: DataTable
    public let figure: Figure
    /// Text files of the view, each written as `name<suffix>` (the runs comparison's table as
    /// Markdown and CSV).
    public var documents: [(suffix: String, text: String)]
    /// More figures of the same view, each written as `name-<suffix>.svg` and `.csv`.
    public var companions: [(suffix: String, table: DataTable, figure: Figure)]

    public init(name: String, table: DataTable, figure: Figure, documents: [(suffix: String, text: String)] = [],
                companions: [(suffix: String, table: DataTable, figure: Figure)] = []) {
        self.name = name; self.table = table; self.figure = figure; self.documents = documents; self.companions = companions
    }

    public static func == (a: ExportRequest, b: ExportRequest) -> Bool {
        a.name == b.name && a.table == b.table && a.figure == b.figure && a.documents.map(\.suffix) == b.documents.map(\.suffix)
            && a.documents.map(\.text) == b.documents.map(\.text)
            && a.companions.map(\.suffix) == b.companions.map(\.suffix) && a.companions.map(\.table) == b.companions.map(\.table)
            && a.companions.map(\.figure) == b.companions.map(\.figure)
    }

    /// Every file of the export: extension or suffix, and its bytes (rendered on demand).
    var files: [(suffix: String, contents: () -> Data)] {
        var files: [(suffix: String, contents: () -> Data)] = [
            (".svg", { figure.svg() }), (".csv", { Data(table.csv().utf8) }),
        ]
        for document in documents { files.append((document.suffix, { Data(document.text.utf8) })) }
        for companion in companions {
            files.append(("-\(companion.suffix).svg", { companion.figure.svg() }))
            files.append(("-\(companion.suffix).csv", { Data(companion.table.csv().utf8) }))
        }
        return files
    }
}

/// Writes `name.svg` and `name.csv` (and the documents and companion figures, when the request has
/// them) into `folder` (made if missing), each atomically; a name already taken gets "-2", "-3",
/// …, so that no export overwrites another. The outcome, as the
/// message the app's `update` takes.
public func writeExport(_ request: ExportRequest, into folder: URL) -> Message {
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var stem = request.name, attempt = 1
        let files = request.files
        func taken(_ stem: String) -> Bool {
            files.contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent(stem + $0.suffix).path) }
        }
        while taken(stem) {
            attempt += 1
            stem = "\(request.name)-\(attempt)"
        }
        var paths: [String] = []
        for file in files {
            let url = folder.appendingPathComponent(stem + file.suffix)
            try writeAtomically(file.contents(), to: url)
            paths.append(url.path)
        }
        return .exported(.success(paths))
    } catch let error as MarginalError {
        return .exported(.failure(ExportFailure(error.description)))
    } catch {
        return .exported(.failure(ExportFailure("cannot write into \(folder.path): \(error.localizedDescription)")))
    }
}

/// A number for a file name: "0.1", "2", "1e-05" → "0.1", "2", "1e-05" (no spaces, no signs to escape).
func fileNumber(_ x: Double) -> String { exactNumber(x).replacingOccurrences(of: "−", with: "-") }
