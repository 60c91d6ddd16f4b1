import Foundation
import Testing
import MarginalCore
import MarginalEngine
import TestSupport

@Suite struct OptimizerTests {
    /// One scalar parameter θ = 1 in a store.
    static func scalarStore() -> ParameterStore<Double> {
        var store = ParameterStore<Double>()
        store.append("theta", shape: [1], values: [1])
        return store
    }

    static func run(_ optimizer: some Optimizer<Double>, gradients: [Double]) -> [Double] {
        var store = scalarStore()
        return gradients.map { g in
            store.gradients = [g]
            optimizer.update(&store)
            return store.values[0]
        }
    }

    /// SGD, η = 0.1, μ = 0.9, λ = 0.01, poly decay over T = 4 steps, gradients 0.5 then −1:
    ///   t = 0: g = 0.5 + 0.01·1 = 0.51, m = 0.51, θ = 1 − 0.1·0.51 = 0.949;
    ///   t = 1: g = −1 + 0.01·0.949 = −0.99051, m = 0.9·0.51 − 0.99051 = −0.53151,
    ///          θ = 0.949 + 0.1·0.75^0.9·0.53151 = 0.9900266991718645.
    /// PyTorch's SGD + PolynomialLR give the same (Scripts/reference/optimizers_reference.py).
    @Test func sgdByHand() {
        let sgd = SGD<Double>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, decay: PolynomialDecay(totalSteps: 4))
        let values = Self.run(sgd, gradients: [0.5, -1])
        #expect(isClose(values[0], 0.949, relative: 1e-15))
        #expect(isClose(values[1], 0.949 + 0.1 * pow(0.75, 0.9) * 0.53151, relative: 1e-14))
        #expect(isClose(values[1], 0.9900266991718645, relative: 1e-14))
        #expect(sgd.step == 2)
    }

    /// μ = 0 is θ ← θ − η g.
    @Test func plainSGD() {
        let values = Self.run(SGD<Double>(learningRate: 0.5, momentum: 0), gradients: [0.5, -1])
        #expect(values == [0.75, 1.25])
    }

    @Test func polynomialDecay() {
        let decay = PolynomialDecay(totalSteps: 4)
        #expect(decay.factor(atStep: 0) == 1)
        #expect(isClose(decay.factor(atStep: 2), pow(0.5, 0.9), relative: 1e-15))
        #expect(decay.factor(atStep: 4) == 0 && decay.factor(atStep: 9) == 0)
    }

    /// Adam, η = 0.1, β = (0.9, 0.999), ε = 1e-8, gradients 0.5 then −1:
    ///   t = 1: m = 0.05, v = 0.00025, θ = 1 − (0.1/0.1)·0.05 / (√0.00025/√0.001 + 1e-8)
    ///          = 1 − 0.05/(0.5 + 1e-8) = 0.900000002;
    ///   t = 2: m = 0.05 + 0.1(−1 − 0.05) = −0.055, v = 0.999·0.00025 + 0.001 = 0.00124975,
    ///          θ = 0.900000002 + (0.1/0.19)·0.055 / (√0.00124975/√0.001999 + 1e-8) = 0.9366103542405654.
    /// PyTorch's Adam gives the same (Scripts/reference/optimizers_reference.py).
    @Test func adamByHand() {
        let adam = Adam<Double>(learningRate: 0.1)
        let values = Self.run(adam, gradients: [0.5, -1])
        #expect(isClose(values[0], 1 - 0.05 / (0.5 + 1e-8), relative: 1e-15))
        let second = values[0] + (0.1 / 0.19) * 0.055 / ((0.00124975).squareRoot() / (0.001999).squareRoot() + 1e-8)
        #expect(isClose(values[1], second, relative: 1e-14))
        #expect(isClose(values[1], 0.9366103542405654, relative: 1e-14))
    }

    /// The rule runs on every tensor with that tensor's own state: two tensors updated together
    /// end where each would alone.
    @Test func ruleAppliesPerTensor() {
        var both = ParameterStore<Double>()
        both.append("a", shape: [2], values: [1, -2])
        both.append("b", shape: [1, 3], values: [0.5, 3, -1])
        let adam = Adam<Double>(learningRate: 0.01)
        for step in 0 ..< 3 {
            both.gradients = [0.3, -0.2, 1, 0, -4].map { $0 * Double(step + 1) }
            adam.update(&both)
        }
        for (index, name) in ["a", "b"].enumerated() {
            let entry = both.entries[index]
            var alone = ParameterStore<Double>()
            alone.append(name, shape: entry.shape, values: [[1, -2], [0.5, 3, -1]][index])
            let single = Adam<Double>(learningRate: 0.01)
            for step in 0 ..< 3 {
                alone.gradients = Array([0.3, -0.2, 1, 0, -4][entry.range]).map { $0 * Double(step + 1) }
                single.update(&alone)
            }
            #expect(alone.values == both.values(of: index))
        }
    }

    /// Patience 2, factor 0.5: η halves after two evaluations in a row without a new best
    /// (better = below best·(1 − 1e-4)), and the count restarts.
    @Test func reduceOnPlateau() {
        let adam = Adam<Double>(learningRate: 1e-3)
        var plateau = ReduceOnPlateau(patience: 2)
        let losses = [1.0, 0.9, 0.95, 0.92, 0.8, 0.79995, 0.85, 0.7]
        var rates: [Double] = []
        for loss in losses {
            plateau.record(validationLoss: loss, adjusting: adam)
            rates.append(adam.learningRate)
        }
        // 0.95, 0.92: two without improvement → halve; 0.8 new best; 0.79995 is within the
        // threshold (not better), 0.85 worse → halve again; 0.7 new best.
        #expect(rates == [1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4])
        #expect(plateau.best == 0.7 && plateau.evaluationsWithoutImprovement == 0)
        let data = try! JSONEncoder().encode(plateau)
        #expect(try! JSONDecoder().decode(ReduceOnPlateau.self, from: data) == plateau)
    }

    /// Saved state resumes exactly: the same values after further steps as without a pause.
    @Test(arguments: ["adam", "sgd"])
    func stateRoundTrip(kind: String) throws {
        func make() -> any Optimizer<Float> {
            kind == "adam" ? Adam<Float>(learningRate: 0.01)
                : SGD<Float>(learningRate: 0.01, momentum: 0.9, weightDecay: 1e-4, decay: PolynomialDecay(totalSteps: 10))
        }
        var store = ParameterStore<Float>()
        store.append("w", shape: [3], values: [1, 2, 3])
        let original = make()
        for step in 0 ..< 3 {
            store.gradients = [0.1, -0.2, 0.3].map { $0 * Float(step + 1) }
            original.update(&store)
        }
        let resumed = make()
        try resumed.loadState(original.stateData(), source: "state", parameterCount: store.count)
        #expect(resumed.step == 3 && resumed.learningRate == original.learningRate)
        var copy = store
        store.gradients = [0.5, 0.5, -0.5]
        copy.gradients = store.gradients
        original.update(&store)
        resumed.update(&copy)
        #expect(store.values == copy.values)
    }

    @Test func stateOfAnotherOptimiserOrModelIsRefused() throws {
        var store = ParameterStore<Float>()
        store.append("w", shape: [3], values: [1, 2, 3])
        let adam = Adam<Float>(learningRate: 0.01)
        adam.update(&store)
        let sgd = SGD<Float>(learningRate: 0.01)
        expectOneLineError { try sgd.loadState(adam.stateData(), source: "s.bin", parameterCount: 3) }
        expectOneLineError { try Adam<Float>(learningRate: 1).loadState(adam.stateData(), source: "s.bin", parameterCount: 4) }
        expectOneLineError { try Adam<Float>(learningRate: 1).loadState(adam.stateData().prefix(30), source: "s.bin", parameterCount: 3) }
        expectOneLineError { try Adam<Float>(learningRate: 1).loadState(Data("garbage".utf8), source: "s.bin", parameterCount: 3) }
    }
}

/// `body` throws a `MarginalError` of one line naming the file "s.bin" or "c.bin".
func expectOneLineError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected a MarginalError", sourceLocation: sourceLocation)
    } catch let error as MarginalError {
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("s.bin") || error.description.hasPrefix("c.bin"), "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a MarginalError, got \(error)", sourceLocation: sourceLocation)
    }
}
