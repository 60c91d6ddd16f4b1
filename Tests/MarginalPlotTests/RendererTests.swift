import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import MarginalCore
@testable import MarginalFigure
@testable import MarginalPlot
import TestSupport

/// The three renderers on the paper's Fig. 2 and a simplex map, checked by their bytes.
@Suite struct RendererTests {
    /// Fig. 2: DB₁, KL and L1 at ŷ = 0.1, with KL infinite at both ends.
    static func figureTwo(width: Double = 720, height: Double = 450) -> LineChart {
        let x = evenlySpaced(count: 201)
        let series = BinaryPenalty.raw.enumerated().map { index, penalty in
            Series(name: penalty.rawValue, label: "label of \(penalty.rawValue)", x: x,
                   y: x.map { p in
                       let v = penalty.value(predicted: p, target: 0.1)
                       return v.isFinite ? v : nil
                   },
                   style: StrokeStyle(color: Palette.color(index), width: 2))
        }
        return LineChart(title: "Fig. 2", subtitle: "ŷ₁ = 0.1", xAxis: Axis(label: "p̂₁", range: 0 ... 1),
                         yAxis: Axis(label: "penalty"), series: series,
                         markers: [Marker(x: 0, y: log(0.1), fill: Palette.vermillion, label: "minimum")],
                         referenceLines: [ReferenceLine(.vertical, at: 0.1, label: "ŷ₁")],
                         width: width, height: height)
    }

    static func simplexMap(resolution: Int = 20) -> TernaryMap {
        let y = SimplexPoint(0.6, 0.3, 0.1)
        let map = SimplexMap(penalty: .kl, target: y, resolution: resolution)
        return TernaryMap(title: "KL", vertexLabels: ["1", "2", "3"], resolution: resolution, values: map.values,
                          colorbarLabel: "KL",
                          markers: [TernaryMarker(point: y, shape: .ring, fill: .white, stroke: .black, label: "target")])
    }

    @Test func svgParsesAndNamesEverySeriesInItsLegend() throws {
        let chart = Self.figureTwo()
        let data = Figure.lines(chart).svg()
        let document = try XMLDocument(data: data, options: [])
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        #expect(try root.nodes(forXPath: "@width").first?.stringValue == "720")
        let legendTexts = try root.nodes(forXPath: "//*[@class='legend']//*[local-name()='text']").compactMap(\.stringValue)
        #expect(legendTexts == chart.series.map(\.label) + ["minimum"])
        let entries = try root.nodes(forXPath: "//*[@class='legend-entry']/@data-series").compactMap(\.stringValue)
        #expect(entries == ["db1", "kl", "l1"])
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("nan") && !text.contains("inf"))
        #expect(Figure.lines(chart).svg() == data)
    }

    @Test func pngHasTheRequestedPixelSize() throws {
        let figure = Figure.lines(Self.figureTwo())
        let data = try figure.png(scale: 2)
        let size = try #require(FigureFiles.pngSize(data))
        #expect(size.width == 1440 && size.height == 900)
        #expect(data.count > 20_000)
        #expect(try figure.png(scale: 2) == data)
        let small = try #require(FigureFiles.pngSize(try figure.png(scale: 0.5)))
        #expect(small.width == 360 && small.height == 225)
    }

    @Test func pdfIsValidAndByteForByteReproducible() throws {
        let figure = Figure.lines(Self.figureTwo())
        let first = try figure.pdf()
        #expect(FigureFiles.isPDF(first))
        #expect(first.count > 5_000)
        // Cairo 1.16 writes the date without the "D:" prefix; later versions add it.
        let date = try #require(FigureFiles.pdfCreationDate(first))
        #expect(date == "20000101000000Z" || date == "D:20000101000000Z")
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try figure.pdf() == first)
    }

    @Test func pdfDateFollowsSourceDateEpoch() {
        #expect(pdfCreationDate(environment: [:]) == "2000-01-01T00:00:00Z")
        #expect(pdfCreationDate(environment: ["SOURCE_DATE_EPOCH": "1700000000"]) == "2023-11-14T22:13:20Z")
        #expect(pdfCreationDate(environment: ["SOURCE_DATE_EPOCH": "soon"]) == "2000-01-01T00:00:00Z")
    }

    @Test func legendCoversNoCurve() throws {
        let chart = Self.figureTwo()
        let layout = chart.layout()
        let box = try #require(layout.legendBox)
        #expect(layout.plot.insetBy(-0.01).contains(Point(box.minX, box.minY)))
        for s in chart.series {
            for (a, b) in chart.visibleSegments(s, layout) {
                #expect(box.clip(a, b) == nil, "\(s.name) crosses the legend")
            }
        }
    }

    /// A series left out of the legend is still drawn; the legend has rows for the others only.
    @Test func seriesOutOfTheLegendIsDrawnWithoutARow() throws {
        var chart = Self.figureTwo()
        chart.series[1].inLegend = false
        let document = try XMLDocument(data: Figure.lines(chart).svg(), options: [])
        let entries = try document.nodes(forXPath: "//*[@class='legend-entry']/@data-series").compactMap(\.stringValue)
        #expect(entries == ["db1", "l1"])
        let drawn = try document.nodes(forXPath: "//*[@class='series']/@data-series").compactMap(\.stringValue)
        #expect(drawn == ["db1", "kl", "l1"])
    }

    @Test func legendMovesOutsideWhenNoCornerIsFree() throws {
        // Horizontal lines every 0.05 leave no free spot inside the plot.
        let x = [0.0, 1.0]
        let series = stride(from: 0.0, through: 1.0, by: 0.05).map { level in
            Series(name: "line \(Int((level * 20).rounded()))", x: x, y: [level, level], style: StrokeStyle(color: .black))
        }
        let chart = LineChart(title: "crowded", xAxis: Axis(label: "x"), yAxis: Axis(label: "y"), series: series)
        let layout = chart.layout()
        let box = try #require(layout.legendBox)
        #expect(box.minX > layout.plot.maxX)
        #expect(box.maxX <= chart.width)
    }

    @Test func infiniteSamplesBreakTheLineAndAreLeftOut() {
        let chart = Self.figureTwo()
        let layout = chart.layout()
        let kl = chart.series[1]
        let segments = chart.visibleSegments(kl, layout)
        #expect(segments.count == kl.y.count - 3)  // 199 finite samples, 198 segments
        for (a, b) in segments {
            #expect(a.x.isFinite && a.y.isFinite && b.x.isFinite && b.y.isFinite)
        }
    }

    @Test func tinyAndEmptyChartsStillRender() throws {
        let empty = LineChart(title: "", xAxis: Axis(label: ""), yAxis: Axis(label: ""), width: 100, height: 100)
        #expect(FigureFiles.pngSize(try Figure.lines(empty).png(scale: 1))?.width == 100)
        _ = try XMLDocument(data: Figure.lines(empty).svg(), options: [])
        let log = LineChart(title: "log", xAxis: Axis(label: "x", scale: .logarithmic),
                            yAxis: Axis(label: "y", scale: .logarithmic),
                            series: [Series(name: "s", x: [0, 0.001, 1], y: [1, 0.5, nil], style: StrokeStyle(color: .black))])
        #expect(FigureFiles.isPDF(try Figure.lines(log).pdf()))
    }

    @Test func ternaryMapRendersInEveryFormat() throws {
        let figure = Figure.ternary(Self.simplexMap())
        let svg = figure.svg()
        let document = try XMLDocument(data: svg, options: [])
        let images = try document.nodes(forXPath: "//*[local-name()='image']")
        #expect(images.count == 2)  // the heat map and the colour bar
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        #expect(texts.contains("+∞"))  // KL is infinite on the edges
        #expect(texts.contains("target"))
        let size = try #require(FigureFiles.pngSize(try figure.png(scale: 1)))
        #expect(size.width == 640 && size.height == 520)
        #expect(FigureFiles.isPDF(try figure.pdf()))
    }

    @Test func ternaryInterpolationHitsTheGridValues() {
        let map = Self.simplexMap(resolution: 12)
        let grid = simplexGrid(resolution: 12)
        for (p, v) in zip(grid, map.values) where v.isFinite {
            #expect(isClose(map.interpolatedValue(at: p), v, relative: 1e-12), "at \(p)")
        }
        let layout = map.layout()
        for p in [SimplexPoint(1, 0, 0), SimplexPoint(0.2, 0.3, 0.5), SimplexPoint(0, 0, 1)] {
            let back = layout.barycentric(layout.position(p))
            #expect(largestDifference(back, p) < 1e-12)
        }
    }
}

/// max_k |a_k − b_k|.
private func largestDifference(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    let d = a - b
    return max(abs(d.x), abs(d.y), abs(d.z))
}
