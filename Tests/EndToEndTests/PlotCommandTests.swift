import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import MarginalCore
import TestSupport

/// `marginal curves`, `simplex` and `softmax` run as a user would, writing into a temporary folder.
@Suite final class PlotCommandTests {
    let folder: URL

    init() throws { folder = try makeTemporaryFolder("plot") }

    /// Each test gets its own folder; it goes when the test ends.
    deinit { try? FileManager.default.removeItem(at: folder) }

    func run(_ arguments: [String]) throws -> MarginalProcess.Result {
        try MarginalProcess.run(arguments, in: folder)
    }

    func file(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }

    func json(_ result: MarginalProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
    }

    // MARK: curves

    @Test func curvesCSVHasAHeaderAndEmptyCellsWhereKLIsInfinite() throws {
        let result = try run(["curves"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "p,db1,kl,l1")
        #expect(lines.count == 1 + 1001 + 1)  // header, rows, the empty string after the last newline
        // p = 0: DB₁ = log 0.1, KL = ∞ (empty), L1 = 0.1
        #expect(lines[1] == "0,\(log(0.1)),,0.1")
        #expect(lines[1001].hasPrefix("1,") && lines[1001].split(separator: ",", omittingEmptySubsequences: false)[2].isEmpty)
        let row = lines[101].split(separator: ",").map { Double($0)! }  // p = 0.1 = ŷ
        #expect(row[0] == 0.1 && row[1] == log(0.2) && abs(row[2]) < 1e-16 && row[3] == 0)
    }

    @Test func curvesJSONGivesParametersSeriesAndMinimisers() throws {
        let result = try run(["curves", "--format", "json", "--penalties", "db1,kl,l1,kl+db1,kl+l1,kl+kl",
                              "--lambda", "1", "--points", "101"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        let parameters = try #require(object["parameters"] as? [String: Any])
        #expect(parameters["yhat"] as? Double == 0.1)
        #expect(parameters["lambda"] as? Double == 1)
        #expect(parameters["points"] as? Int == 101)
        #expect((object["p"] as? [Double])?.count == 101)
        let series = try #require(object["series"] as? [[String: Any]])
        #expect(series.map { $0["name"] as? String } == ["db1", "kl", "l1", "kl+db1", "kl+l1", "kl+kl"])
        var minimisers: [String: Double] = [:]
        for s in series {
            let name = s["name"] as! String
            let values = try #require(s["values"] as? [Any])
            #expect(values.count == 101)
            if name.hasPrefix("kl") {
                #expect(values.first is NSNull && values.last is NSNull, "\(name) is infinite at both ends")
            } else {
                #expect(values.allSatisfy { $0 is Double })
            }
            let minimum = try #require(s["minimizer"] as? [String: Double])
            minimisers[name] = minimum["p"]
        }
        #expect(minimisers["db1"] == 0)
        for name in ["kl", "l1", "kl+l1", "kl+kl"] { #expect(abs(minimisers[name]! - 0.1) < 1e-12, "\(name)") }
        #expect(isClose(minimisers["kl+db1"]!, 0.01, relative: 1e-9))  // ŷ² at λ = 1
    }

    /// Claim 6 (Appendix C) from the shell: p̂ at τ approaches the hard proportion as τ grows.
    @Test func softmaxProportionsShowPHatApproachingTheHardProportion() throws {
        let result = try run(["softmax", "--proportions", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        let tau = try #require(object["tau"] as? [Double])
        let gap = try #require(object["l1_to_hard"] as? [Double])
        #expect(tau.count == 61 && gap.count == 61 && tau.first == 0.1 && isClose(tau.last!, 100, relative: 1e-12))
        let at1 = try #require(tau.firstIndex { isClose($0, 1, relative: 1e-9) })
        #expect(gap.last! < gap[at1] / 10, "\(gap[at1]) at τ = 1, \(gap.last!) at τ = 100")
        // The explorer's panel reads 0.1926 at τ = 1 (the Temperature screen at 80x24).
        #expect(String(format: "%.4f", gap[at1]) == "0.1926")
        let toy = try run(["softmax", "--proportions", "--toy", "small-lesion", "--steps", "5", "--format", "csv"])
        #expect(toy.status == 0 && toy.standardOutput.hasPrefix("tau,soft:background,soft:lesion,hard:background,hard:lesion"),
                "\(toy.standardError)")
        let refused = try run(["softmax", "--toy", "street"])
        #expect(refused.status != 0 && refused.standardError.contains("--toy needs --proportions"))
    }

    @Test func curvesDerivativesAreTheSlopes() throws {
        let result = try run(["curves", "--derivative", "--format", "json", "--points", "11"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        #expect(object["quantity"] as? String == "derivative")
        let series = try #require(object["series"] as? [[String: Any]])
        let db1 = try #require(series.first?["values"] as? [Double])
        #expect(isClose(db1[4], 2, relative: 1e-15))  // 1/(0.4 + 0.1)
        let kl = try #require(series[1]["values"] as? [Any])
        #expect(kl.first is NSNull && kl.last is NSNull)
        #expect(isClose(kl[5] as! Double, 1.6, relative: 1e-14))  // −0.1/0.5 + 0.9/0.5
    }

    @Test func figuresTakeTheirFormatFromTheExtension() throws {
        for command in [["curves"], ["simplex", "--resolution", "30"], ["softmax"]] {
            for ext in ["svg", "png", "pdf", "csv", "json"] {
                let name = "\(command[0]).\(ext)"
                let result = try run(command + ["--out", name])
                #expect(result.status == 0, "\(name): \(result.standardError)")
                #expect(result.standardOutput.isEmpty)
                let data = try file(name)
                switch ext {
                case "svg": _ = try XMLDocument(data: data, options: [])
                case "png": #expect(FigureFiles.pngSize(data) != nil, "\(name)")
                case "pdf": #expect(FigureFiles.isPDF(data), "\(name)")
                case "json": _ = try JSONSerialization.jsonObject(with: data)
                default: #expect(String(decoding: data, as: UTF8.self).contains(","))
                }
            }
        }
    }

    @Test func svgLegendNamesEverySeries() throws {
        let result = try run(["curves", "--penalties", "kl,kl+db1,l1", "--out", "c.svg"])
        #expect(result.status == 0, "\(result.standardError)")
        let document = try XMLDocument(data: try file("c.svg"), options: [])
        let named = try document.nodes(forXPath: "//*[@class='legend-entry']/@data-series").compactMap(\.stringValue)
        #expect(named == ["kl", "kl+db1", "l1"])
        let texts = try document.nodes(forXPath: "//*[@class='legend']//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains { $0.hasPrefix("KL + λ·DB₁") })
        #expect(texts.contains { $0.hasPrefix("L1 = ") })
    }

    @Test func pngHasTheRequestedPixelSize() throws {
        #expect(try run(["curves", "--out", "a.png"]).status == 0)
        let standard = try #require(FigureFiles.pngSize(try file("a.png")))
        #expect(standard.width == 1440 && standard.height == 900)
        #expect(try file("a.png").count > 20_000)
        #expect(try run(["softmax", "--size", "400x300", "--scale", "1.5", "--out", "b.png"]).status == 0)
        let custom = try #require(FigureFiles.pngSize(try file("b.png")))
        #expect(custom.width == 600 && custom.height == 450)
    }

    @Test func sameCommandTwiceGivesTheSameBytes() throws {
        for ext in ["pdf", "png", "svg"] {
            for command in [["curves"], ["simplex", "--resolution", "40", "--penalty", "kl"], ["softmax"]] {
                #expect(try run(command + ["--out", "first.\(ext)"]).status == 0)
                if ext == "pdf" { Thread.sleep(forTimeInterval: 1.1) }  // a clock-based date would now differ
                #expect(try run(command + ["--out", "second.\(ext)"]).status == 0)
                #expect(try file("first.\(ext)") == file("second.\(ext)"), "\(command[0]) .\(ext)")
            }
        }
        let date = try #require(FigureFiles.pdfCreationDate(try file("first.pdf")))
        #expect(date.hasSuffix("20000101000000Z"))
    }

    // MARK: simplex

    @Test func simplexJSONGivesTheGridAndTheVertexMinimiserOfDB() throws {
        let result = try run(["simplex", "--yhat", "0.2,0.5,0.3", "--resolution", "10", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        let grid = try #require(object["grid"] as? [String: [Any]])
        #expect(Set(grid.keys) == ["p1", "p2", "p3", "value"])
        #expect(grid["p1"]?.count == 66)
        let minimum = try #require(object["minimizer"] as? [String: Any])
        #expect(minimum["p"] as? [Double] == [0, 1, 0])  // Proposition 1: the vertex of the largest ŷ
        #expect(isClose(minimum["value"] as! Double, log(0.2) + log(1.5) + log(0.3), relative: 1e-15))
    }

    @Test func simplexKLIsNullOnTheEdgesAndSmallestAtTheTarget() throws {
        let result = try run(["simplex", "--penalty", "kl", "--resolution", "10", "--format", "json"])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try json(result)
        let grid = try #require(object["grid"] as? [String: [Any]])
        let p1 = grid["p1"] as! [Double], p2 = grid["p2"] as! [Double], p3 = grid["p3"] as! [Double]
        for index in p1.indices {
            let onEdge = p1[index] == 0 || p2[index] == 0 || p3[index] == 0
            #expect((grid["value"]![index] is NSNull) == onEdge)
        }
        let minimum = try #require((object["minimizer"] as? [String: Any])?["p"] as? [Double])
        #expect(abs(minimum[0] - 0.6) < 1e-6 && abs(minimum[1] - 0.3) < 1e-6 && abs(minimum[2] - 0.1) < 1e-6)
    }

    @Test func simplexCSVHasOneRowPerGridPoint() throws {
        let result = try run(["simplex", "--resolution", "4", "--penalty", "l1"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "p1,p2,p3,l1")
        #expect(lines.count == 1 + 15)
        let first = lines[1].split(separator: ",").map { Double($0)! }
        #expect(first[0 ..< 3] == [0, 0, 1])
        #expect(isClose(first[3], 1.8, relative: 1e-15))  // |0.6| + |0.3| + |0.1 − 1|
    }

    // MARK: softmax

    @Test func softmaxTabulatesEachTemperature() throws {
        let result = try run(["softmax", "--points", "5", "--zmax", "1", "--tau", "1,10"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines == [
            "z,tau=1,tau=10",
            // e^{τz}/(1 + e^{τz}) below 0, 1/(1 + e^{−τz}) from 0 up (TemperatureSoftmax.swift)
            "-1,\(exp(-1.0) / (1 + exp(-1.0))),\(exp(-10.0) / (1 + exp(-10.0)))",
            "-0.5,\(exp(-0.5) / (1 + exp(-0.5))),\(exp(-5.0) / (1 + exp(-5.0)))",
            "0,0.5,0.5",
            "0.5,\(1 / (1 + exp(-0.5))),\(1 / (1 + exp(-5.0)))",
            "1,\(1 / (1 + exp(-1.0))),\(1 / (1 + exp(-10.0)))",
        ])
    }

    // MARK: bad parameters

    @Test(arguments: [
        ["curves", "--yhat", "1.5"],
        ["curves", "--yhat", "0"],
        ["curves", "--yhat", "1"],
        ["curves", "--yhat", "abc"],
        ["curves", "--lambda", "-1"],
        ["curves", "--lambda", "nan"],
        ["curves", "--penalties", "db1,dice"],
        ["curves", "--points", "2"],
        ["curves", "--format", "gif"],
        ["curves", "--format", "png", "--out", "x.pdf"],
        ["curves", "--out", "figure.txt"],
        ["curves", "--out", "missing-folder/figure.svg"],
        ["curves", "--out", "."],
        ["curves", "--scale", "0"],
        ["curves", "--size", "10x10"],
        ["simplex", "--yhat", "0.5,0.3,0.1"],
        ["simplex", "--yhat", "0.6,0.4"],
        ["simplex", "--yhat", "1.2,-0.1,-0.1"],
        ["simplex", "--penalty", "db1"],
        ["simplex", "--lambda", "-0.5"],
        ["simplex", "--resolution", "0"],
        ["softmax", "--tau", "0"],
        ["softmax", "--tau", "1,-2"],
        ["softmax", "--zmax", "0"],
    ])
    func badParametersGetOneLineAndExitTwoAndWriteNothing(_ arguments: [String]) throws {
        let out = arguments.contains("--out") ? [] : ["--out", "result.svg"]
        let result = try run(arguments + out)
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(arguments): \(result.standardError)")
        #expect(result.standardError.hasPrefix("marginal \(arguments[0]): "))
        #expect(result.standardOutput.isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left.isEmpty, "\(arguments) left \(left)")
    }

    @Test func anUnwritableOutputLeavesNothingBehind() throws {
        // A folder where the file should go: the rename fails, the hidden temporary file is removed.
        let taken = folder.appendingPathComponent("taken.svg")
        try FileManager.default.createDirectory(at: taken, withIntermediateDirectories: false)
        let result = try run(["curves", "--out", "taken.svg"])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("marginal curves: "))
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["taken.svg"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: taken.path).isEmpty)
    }

    @Test func helpTeachesWithAnExampleAndDefaults() throws {
        for (command, example, option) in [("curves", "marginal curves --out fig2.pdf", "(default: 0.1)"),
                                           ("simplex", "marginal simplex --out", "(default: 0.6,0.3,0.1)"),
                                           ("softmax", "marginal softmax --out fig5.svg", "1,2,5,10)")] {
            let result = try run([command, "--help"])
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("OVERVIEW:"))
            #expect(result.standardOutput.contains(example), "\(command)")
            #expect(result.standardOutput.contains(option), "\(command)")
        }
    }
}
