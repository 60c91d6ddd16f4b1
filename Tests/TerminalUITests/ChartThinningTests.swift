import Testing
import MarginalFigure
@testable import TerminalUI

/// A long series is drawn by its envelope: at most the lowest and the highest sample of each dot
/// column, in order, with its gaps; a short one is drawn whole.
@Suite struct ChartThinningTests {
    @Test func longSeriesKeepsEachColumnsExtremesAndItsGaps() {
        let count = 10_000
        let x = (0 ..< count).map(Double.init)
        var y: [Double?] = x.map { ($0 * 7919).truncatingRemainder(dividingBy: 101) }  // noisy, in 0 … 100
        y[5_000] = nil
        y[1_234] = 1_000  // a spike
        let series = Series(name: "raw", x: x, y: y, style: StrokeStyle(color: Palette.grey))
        let scale = Scale(domain: 0 ... Double(count - 1), start: 0, end: 39)  // 40 dot columns
        let kept = series.drawnIndices(xScale: scale, columns: 40)
        let samples = kept.filter { $0 != Series.lineBreak }
        #expect(kept.count <= 2 * 41 + 1 && samples == samples.sorted())
        #expect(kept.contains(1_234) && !kept.contains(5_000))
        #expect(kept.firstIndex(of: Series.lineBreak).map { samples[..<$0].allSatisfy { $0 < 5_000 } } == true,
                "the line breaks at the missing sample 5 000")
        // Every column's minimum and maximum survive.
        var byColumn: [Int: [Int]] = [:]
        for index in x.indices where y[index] != nil { byColumn[Int(scale.map(x[index]).rounded()), default: []].append(index) }
        for (_, indices) in byColumn {
            let values = indices.map { y[$0]! }
            #expect(kept.contains { indices.contains($0) && y[$0]! == values.max()! })
            #expect(kept.contains { indices.contains($0) && y[$0]! == values.min()! })
        }
        let short = Series(name: "s", x: Array(x.prefix(100)), y: Array(y.prefix(100)), style: StrokeStyle(color: Palette.grey))
        #expect(short.drawnIndices(xScale: scale, columns: 40) == Array(0 ..< 100))
    }

    /// Zoomed to a quarter of x, the samples outside are the two next to the range (the lines
    /// leave the plot) and a break each side, not one sample a dot column.
    @Test func aZoomedSeriesKeepsOneBreakForEachRunOutsideItsRange() {
        let count = 10_000
        let x = (0 ..< count).map(Double.init)
        let y: [Double?] = x.map { ($0 * 7919).truncatingRemainder(dividingBy: 101) }
        let series = Series(name: "raw", x: x, y: y, style: StrokeStyle(color: Palette.grey))
        let scale = Scale(domain: 2_500 ... 4_999, start: 0, end: 39)
        let kept = series.drawnIndices(xScale: scale, columns: 40)
        #expect(kept.first == Series.lineBreak && kept.last == Series.lineBreak)
        let samples = kept.filter { $0 != Series.lineBreak }
        #expect(samples.filter { $0 < 2_500 || $0 > 4_999 } == [2_499, 5_000], "the neighbours of the range, where its lines leave the plot")
        #expect(kept.count <= 2 * 41 + 4 && samples == samples.sorted())
        let inside = Array(y[2_500 ..< 5_000]).compactMap { $0 }
        #expect(kept.contains { $0 >= 2_500 && $0 < 5_000 && y[$0]! == inside.max()! })
        #expect(kept.contains { $0 >= 2_500 && $0 < 5_000 && y[$0]! == inside.min()! })
    }
}
