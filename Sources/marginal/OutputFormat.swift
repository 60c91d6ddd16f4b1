import ArgumentParser
import Foundation
import MarginalCore
import MarginalPlot
import MarginalFigure

/// The file formats of `marginal curves`, `simplex` and `softmax`: the numbers (CSV, JSON) or
/// the figure (SVG, PNG, PDF).
enum OutputFormat: String, CaseIterable {
    case csv, json, svg, png, pdf

    static let names = allCases.map(\.rawValue).joined(separator: "|")

    /// The format named by `--format`, or by the extension of `--out`, or CSV on standard output.
    static func resolve(format: String?, out: String?) throws(MarginalError) -> OutputFormat {
        let fromExtension = out.flatMap { text -> OutputFormat? in
            let ext = URL(fileURLWithPath: text).pathExtension.lowercased()
            return OutputFormat(rawValue: ext)
        }
        if let format {
            guard let chosen = OutputFormat(rawValue: format.lowercased()) else {
                throw MarginalError("unknown format '\(format)' (expected \(names))")
            }
            if let fromExtension, fromExtension != chosen, let out {
                throw MarginalError("--format \(chosen.rawValue) does not match the extension of --out \(out)")
            }
            return chosen
        }
        guard let out else { return .csv }
        guard let fromExtension else {
            let ext = URL(fileURLWithPath: out).pathExtension
            let what = ext.isEmpty ? "no extension" : "the extension '.\(ext)'"
            throw MarginalError("--out \(out) has \(what): name a .csv, .json, .svg, .png or .pdf file, or give --format \(names)")
        }
        return fromExtension
    }
}

/// The options every plot command shares: where the output goes and in which format.
struct OutputOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Output format: \(OutputFormat.names). (default: from the extension of --out; csv without --out)",
        valueName: "format"))
    var format: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "File to write; written whole or not at all. (default: standard output)", valueName: "file"))
    var out: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("PNG pixels per point: a 720x450 figure at scale 2 is 1440×900 pixels.", valueName: "s"))
    var scale: String = "2"
}

/// What a plot command produces: its numbers as a table and as JSON, and its figure. Each is
/// built only when its format is asked for.
struct PlotProduct {
    var table: () -> DataTable
    var json: () -> JSONValue
    var figure: () -> Figure
}

extension OutputOptions {
    /// Renders `product` in the chosen format to memory, then writes it to `--out` atomically
    /// (a failure leaves no file) or to standard output.
    func emit(_ product: PlotProduct) throws(MarginalError) {
        let chosen = try OutputFormat.resolve(format: format, out: out)
        let pixelsPerPoint = try parseNumber(scale, option: "--scale", range: 0.1 ... 16)
        let data: Data
        switch chosen {
        case .csv: data = Data(product.table().csv().utf8)
        case .json: data = Data((product.json().encoded() + "\n").utf8)
        case .svg: data = product.figure().svg()
        case .png:
            let figure = product.figure()
            let pixels = (figure.width * pixelsPerPoint * figure.height * pixelsPerPoint)
            guard pixels <= 100_000_000 else {
                throw MarginalError("a \(Int(figure.width * pixelsPerPoint))×\(Int(figure.height * pixelsPerPoint)) PNG is too large (at most 10⁸ pixels)")
            }
            data = try figure.png(scale: pixelsPerPoint)
        case .pdf: data = try product.figure().pdf()
        }
        if let out {
            try writeAtomically(data, to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

// MARK: - Values given on the command line

/// A finite number, optionally inside `range`; the message names the option and the text given.
func parseNumber(_ text: String, option: String, range: ClosedRange<Double>? = nil) throws(MarginalError) -> Double {
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
        throw MarginalError("\(option) '\(text)' is not a finite number")
    }
    if let range, !range.contains(value) {
        throw MarginalError("\(option) \(text) is outside [\(exactNumber(range.lowerBound)), \(exactNumber(range.upperBound))]")
    }
    return value
}

/// A whole number inside `range`.
func parseInteger(_ text: String, option: String, range: ClosedRange<Int>) throws(MarginalError) -> Int {
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw MarginalError("\(option) '\(text)' is not a whole number")
    }
    guard range.contains(value) else {
        throw MarginalError("\(option) \(value) is outside \(range.lowerBound)…\(range.upperBound)")
    }
    return value
}

/// A comma-separated list of finite numbers (at least one).
func parseNumberList(_ text: String, option: String) throws(MarginalError) -> [Double] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard !parts.isEmpty, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw MarginalError("\(option) is empty")
    }
    var values: [Double] = []
    for part in parts { values.append(try parseNumber(part, option: option)) }
    return values
}

/// A target proportion ŷ, which must lie strictly between 0 and 1.
func parseProportion(_ text: String, option: String) throws(MarginalError) -> Double {
    let value = try parseNumber(text, option: option)
    guard value > 0, value < 1 else {
        throw MarginalError("\(option) \(text) is outside (0, 1): a target proportion lies strictly between 0 and 1")
    }
    return value
}

/// The weight λ of a composite penalty: finite and ≥ 0.
func parseLambda(_ text: String) throws(MarginalError) -> Double {
    let value = try parseNumber(text, option: "--lambda")
    guard value >= 0 else { throw MarginalError("--lambda \(text) is negative: the weight λ must be ≥ 0") }
    return value
}

/// A figure size `WxH` in points, each between 100 and 5000.
func parseSize(_ text: String) throws(MarginalError) -> (width: Double, height: Double) {
    let parts = text.lowercased().split(separator: "x").map(String.init)
    guard parts.count == 2, let width = Double(parts[0]), let height = Double(parts[1]),
          (100 ... 5000).contains(width), (100 ... 5000).contains(height)
    else { throw MarginalError("--size '\(text)' is not WIDTHxHEIGHT in points, each between 100 and 5000 (e.g. 720x450)") }
    return (width, height)
}
