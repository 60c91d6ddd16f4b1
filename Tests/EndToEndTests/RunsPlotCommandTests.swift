import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import MarginalCore
import TestSupport

/// `marginal runs plot` run as a user would, on run folders written by hand in a temporary folder.
@Suite final class RunsPlotCommandTests {
    let folder: URL

    /// `runs/a` and `runs/b` on `organ` (three classes, evaluated at steps 10, 20, 30),
    /// `runs/lesions` on another dataset, `runs/fresh` with no metrics yet.
    init() throws {
        folder = try makeTemporaryFolder("runs-plot")
        let runs = folder.appendingPathComponent("runs")
        for (name, dataset, classes) in [("a", "organ", ["background", "organ", "tumour"]),
                                         ("b", "organ", ["background", "organ", "tumour"]),
                                         ("lesions", "lesions", ["background", "lesion"])] {
            let run = try RunFixture(runsFolder: runs, name: name, dataset: dataset, classes: classes)
            try run.status("done", step: 30)
            let k = classes.count
            for step in stride(from: 10, through: 30, by: 10) {
                let ce = 1 / Double(step)
                try run.append(RunFixture.trainLine(step: step, time: Double(step) / 4, loss: ce + 0.05, ce: ce))
                let t = Double(step) / 100
                let small = Array(repeating: 0.02, count: k - 1)
                try run.append(RunFixture.evalLine(step: step, time: Double(step) / 4,
                                                   iou: [0.9] + Array(repeating: 0.3 + t, count: k - 1),
                                                   soft: [1 - 0.02 * Double(k - 1)] + small.map { $0 + t / 10 },
                                                   hard: [1 - 0.02 * Double(k - 1)] + small, target: [0.78] + small))
            }
        }
        _ = try RunFixture(runsFolder: runs, name: "fresh")
    }

    /// Each test gets its own folder; it goes when the test ends.
    deinit { try? FileManager.default.removeItem(at: folder) }

    func run(_ arguments: [String]) throws -> MarginalProcess.Result {
        try MarginalProcess.run(["runs", "plot"] + arguments, in: folder)
    }

    func file(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    @Test func everyFormatOfEveryMetricWritesAValidFile() throws {
        for arguments in [["a"], ["a", "b"], ["a", "b", "--class", "organ"], ["a", "--metric", "loss"],
                          ["a", "b", "--metric", "loss", "--x", "time"], ["a", "--metric", "proportion"],
                          ["a", "b", "--metric", "proportion", "--class", "2"]] {
            for ext in ["svg", "png", "pdf", "csv", "json"] {
                let name = "figure.\(ext)"
                let result = try run(arguments + ["--out", name])
                #expect(result.status == 0, "\(arguments) \(ext): \(result.standardError)")
                #expect(result.standardOutput.isEmpty && result.standardError.isEmpty)
                let data = try file(name)
                switch ext {
                case "svg":
                    let document = try XMLDocument(data: data, options: [])
                    #expect(document.rootElement()?.name == "svg", "\(arguments)")
                case "png":
                    let size = try #require(FigureFiles.pngSize(data), "\(arguments)")
                    #expect(size.width == 1440 && size.height == 900)
                case "pdf": #expect(FigureFiles.isPDF(data), "\(arguments)")
                case "json": _ = try JSONSerialization.jsonObject(with: data)
                default:
                    let header = String(decoding: data, as: UTF8.self).prefix { $0 != "\n" }
                    #expect(header.hasPrefix(arguments.contains("time") ? "time," : "step,"), "\(arguments)")
                }
            }
        }
    }

    /// Without --out or --format: CSV on standard output, the numbers as recorded.
    @Test func csvOnStandardOutputByDefault() throws {
        let result = try run(["a", "b", "--class", "organ"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "step,a:iou:organ (fraction),b:iou:organ (fraction)\n10,0.4,0.4\n20,0.5,0.5\n30,0.6,0.6\n")
    }

    @Test func jsonGivesTheSmoothedLoss() throws {
        let result = try run(["a", "--metric", "loss", "--smoothing", "0.5", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect((object["parameters"] as? [String: Any])?["smoothing"] as? Double == 0.5)
        let series = try #require(object["series"] as? [[String: Any]])
        #expect(series.map { $0["name"] as? String } == ["a:loss", "a:loss_smoothed", "a:ce_smoothed", "a:reg_smoothed"])
        let raw = try #require(series[0]["y"] as? [Double])
        let smoothed = try #require(series[1]["y"] as? [Double])
        // The exact check is RunFiguresTests'; through JSONSerialization a last bit may differ.
        let expected = debiasedMovingAverage(raw, weight: 0.5).map { $0! }
        #expect(firstMismatch(smoothed, expected, relative: 1e-14) == nil)
    }

    @Test func svgLegendNamesTheRuns() throws {
        #expect(try run(["a", "b", "--out", "m.svg"]).status == 0)
        let document = try XMLDocument(data: try file("m.svg"), options: [])
        let named = try document.nodes(forXPath: "//*[@class='legend-entry']/@data-series").compactMap(\.stringValue)
        #expect(named == ["a:miou", "b:miou"])
    }

    @Test func sameCommandTwiceGivesTheSameBytes() throws {
        for ext in ["pdf", "png", "svg"] {
            for arguments in [["a", "b", "--metric", "loss"], ["a", "--metric", "proportion"]] {
                #expect(try run(arguments + ["--out", "first.\(ext)"]).status == 0)
                if ext == "pdf" { Thread.sleep(forTimeInterval: 1.1) }  // a clock-based date would now differ
                #expect(try run(arguments + ["--out", "second.\(ext)"]).status == 0)
                #expect(try file("first.\(ext)") == file("second.\(ext)"), "\(arguments) .\(ext)")
            }
        }
    }

    @Test(arguments: [
        ["nope"],
        ["a", "nope"],
        [],
        ["a", "--class", "9"],
        ["a", "--class", "liver"],
        ["a", "--metric", "foo"],
        ["a", "--metric", "loss", "--smoothing", "1.5"],
        ["a", "--metric", "loss", "--smoothing", "-0.1"],
        ["a", "--metric", "loss", "--smoothing", "abc"],
        ["a", "--metric", "loss", "--class", "1"],
        ["a", "--x", "epoch"],
        ["a", "lesions", "--class", "1"],
        ["a", "b", "--metric", "proportion"],
        ["fresh"],
        ["a", "a"],
        ["a", "--format", "gif"],
        ["a", "--size", "10x10"],
        ["../a"],
    ])
    func badInputGetsOneLineAndExitTwoAndWritesNothing(_ arguments: [String]) throws {
        let result = try run(arguments + ["--out", "result.svg"])
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("marginal runs plot: "))
        #expect(result.standardOutput.isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["runs"], "\(arguments) left \(left)")
    }

    @Test func messagesNameTheRunTheClassesAndTheValue() throws {
        #expect(try run(["nope"]).standardError.contains("runs/nope: no such run"))
        #expect(try run(["a", "--class", "9"]).standardError
            == "marginal runs plot: class 9 is out of range: a has classes 0 background, 1 organ, 2 tumour\n")
        #expect(try run(["a", "--metric", "foo"]).standardError
            == "marginal runs plot: unknown metric 'foo' (expected iou, loss, proportion, scalar)\n")
        #expect(try run(["a", "--smoothing", "1.5"]).standardError.contains("--smoothing 1.5 is outside [0, 0.999]"))
    }

    @Test func helpTeachesWithExamplesAndDefaults() throws {
        let result = try MarginalProcess.run(["runs", "plot", "--help"], in: folder)
        #expect(result.status == 0)
        for text in ["OVERVIEW:", "marginal runs plot lesions-l1 --out iou.svg", "--metric loss", "(default: 0.6)",
                     "(default: iou; scalar with --tag)", "(default: step)", "--tag", "debiased moving"] {
            #expect(result.standardOutput.contains(text), "\(text)")
        }
        #expect(try MarginalProcess.run(["runs", "--help"], in: folder).standardOutput.contains("plot"))
    }
}
