import Testing
import MarginalCore
import TestSupport

/// Proposition 1: over the simplex, Σ_k log(p_k + ŷ_k) is smallest at the vertex of the largest ŷ_k.
/// Checked against a search of the simplex: every vertex, points on every edge (where a concave
/// function's minimum over a face must lie), and random interior points drawn near the faces.
@Suite struct PropositionOneTests {
    func penalty(_ p: [Double], _ target: [Double]) -> Double {
        zip(p, target).map { Double.log($0 + $1) }.reduce(0, +)
    }

    @Test(arguments: 2 ... 19)
    func diceBiasIsMinimalAtTheVertexOfTheLargestProportion(_ classes: Int) throws {
        var generator = SeededGenerator(seed: UInt64(classes))
        for _ in 0 ..< 5 {
            let raw = (0 ..< classes).map { _ in -Double.log(Double.random(in: 1e-9 ... 1, using: &generator)) }
            let target = raw.map { $0 / raw.reduce(0, +) }
            let vertex = diceBiasMinimisingVertex(target)
            #expect(vertex == target.indices.max { target[$0] < target[$1] }!)
            let vertexValue = penalty((0 ..< classes).map { $0 == vertex ? 1 : 0 }, target)
            var best = Double.infinity
            // Every edge, 200 steps along it.
            for a in 0 ..< classes {
                for b in a + 1 ..< classes {
                    for step in 0 ... 200 {
                        var p = [Double](repeating: 0, count: classes)
                        p[a] = Double(step) / 200
                        p[b] = 1 - p[a]
                        best = min(best, penalty(p, target))
                    }
                }
            }
            // Random points, drawn from Dirichlet(0.3) so that many lie close to faces and vertices.
            for _ in 0 ..< 4000 {
                let g = (0 ..< classes).map { _ in Double.pow(Double.random(in: 1e-12 ... 1, using: &generator), 1 / 0.3) }
                let p = g.map { $0 / g.reduce(0, +) }
                best = min(best, penalty(p, target))
            }
            #expect(vertexValue <= best + 1e-12, "K = \(classes), ŷ = \(target)")
        }
    }
}
