import Foundation
import Testing
@testable import MarginalFigure
@testable import MarginalPlot

@Suite struct DataExportTests {
    @Test func csvWritesInfiniteAndMissingValuesAsEmptyCells() {
        let table = DataTable(columns: [("p", [0, 0.5, 1]), ("kl", [.infinity, 0.1, nil]), ("a,b", [1, -2.5, 1e-5])])
        #expect(table.csv() == "p,kl,\"a,b\"\n0,,1\n0.5,0.1,-2.5\n1,,1e-05\n")
    }

    @Test func numbersReadBackExactly() {
        for value in [0.1, -2.302585092994046, 1e-300, 123456789.125, 5e-324, 0.30000000000000004] {
            #expect(Double(exactNumber(value)) == value, "\(value)")
        }
        #expect(exactNumber(-0.0) == "0")
        #expect(exactNumber(3) == "3")
    }

    @Test func jsonWritesNullForNonFiniteNumbersAndParses() throws {
        let value = JSONValue.object([
            ("name", .string("kl \"quoted\"\n")),
            ("values", .numbers([.infinity, 0.25, nil, -.infinity, .nan])),
            ("nested", .array([.object([("ok", .bool(true))]), .null])),
        ])
        let text = value.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "kl \"quoted\"\n")
        let values = try #require(object["values"] as? [Any])
        #expect(values.count == 5)
        #expect(values[0] is NSNull && values[2] is NSNull && values[3] is NSNull && values[4] is NSNull)
        #expect((values[1] as? Double) == 0.25)
        // Keys keep the order they were given in.
        #expect(text.range(of: "\"name\"")!.lowerBound < text.range(of: "\"values\"")!.lowerBound)
    }

    /// Issue 16, item 5: the sample points a file lists are the decimals they stand for (z =
    /// −2.97, not −2.9699999999999998; p = 0.09, not 0.09000000000000001): each has the few
    /// decimals of its step, written in the shortest form that reads back.
    @Test func gridPointsAreWrittenAsTheirDecimals() throws {
        func decimals(_ x: Double) -> Int { exactNumber(x).split(separator: ".").dropFirst().first?.count ?? 0 }
        let softmax = SoftmaxCurves(temperatures: [1, 10])
        #expect(softmax.grid.count == 601 && softmax.grid.allSatisfy { decimals($0) <= 2 },
                "\(softmax.grid.filter { decimals($0) > 2 }.prefix(3))")
        #expect(softmax.grid[3] == -2.97 && softmax.grid[300] == 0 && softmax.grid.first == -3 && softmax.grid.last == 3)
        #expect(softmax.table().csv().contains("\n-2.97,"))
        let curves = PenaltyCurves(target: 0.1, lambda: 1, penalties: [.kl])
        #expect(curves.grid.allSatisfy { decimals($0) <= 3 } && curves.grid[90] == 0.09)
    }
}
