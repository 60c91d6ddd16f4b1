import Testing
import MarginalCore

/// The loss registry: what follows from each loss's recipe is what CONVENTIONS.md's loss table
/// says (binary-only losses, which read τ, the authors' default λ), and the composites' terms.
@Suite struct LossNameTests {
    @Test func derivedPropertiesMatchTheConventionsTable() {
        #expect(LossName.allCases.filter(\.isBinaryOnly) == [.dice1, .logDice1, .ceDB1])
        #expect(LossName.allCases.filter(\.usesTemperature) == [.ceDB, .ceDB1, .ceKL, .ceL1])
        #expect(LossName.allCases.filter(\.carriesDiceBias) == [.dice, .logDice, .dice1, .logDice1, .gdice, .diceCE, .logDiceCE, .ceDB, .ceDB1])
        let lambdas = Dictionary(uniqueKeysWithValues: LossName.allCases.compactMap { loss in loss.defaultLambda.map { (loss, $0) } })
        #expect(lambdas == [.diceCE: 0.1, .logDiceCE: 0.1, .ceDB: 0.1, .ceDB1: 0.1, .ceKL: 0.1, .ceL1: 1])
        #expect(LossName.available(classes: 3).count == LossName.allCases.count - 3)
        #expect(LossName.available(classes: 2) == LossName.allCases)
    }

    @Test func compositesWeighTheirSecondTermByLambda() {
        let terms = LossName.ceL1.terms(lambda: 0.25)
        #expect(terms.count == 2 && terms[0].weight == 1 && terms[0].term == .crossEntropy)
        #expect(terms[1].weight == 0.25 && terms[1].term == .marginal(.l1))
        #expect(LossName.ceKL.terms()[1].weight == 0.1, "no λ given: the default")
        #expect(LossName.dice.terms(lambda: 5).map(\.weight) == [1], "a loss without λ ignores one")
        #expect(LossName.allCases.map(\.description) == LossName.allCases.map(\.rawValue))
    }
}
