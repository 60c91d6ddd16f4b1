import Foundation
import Testing
import MarginalCore
import TestSupport

/// The two-class soft-max with temperature of Fig. 5 (Eq. 22).
@Suite struct TemperatureSoftmaxTests {
    @Test func knownValues() {
        #expect(temperedSoftmax(logitDifference: 0, temperature: 10) == 0.5)
        // e^{τz₁}/(e^{τz₁} + e^{τz₂}) with z = (0.3, 0), τ = 2: 1/(1 + e^{−0.6})
        #expect(isClose(temperedSoftmax(logitDifference: 0.3, temperature: 2), 1 / (1 + exp(-0.6)), relative: 1e-15))
        #expect(isClose(temperedSoftmax(logitDifference: -0.3, temperature: 2), exp(0.6 * -1) / (1 + exp(-0.6)), relative: 1e-15))
    }

    @Test func symmetricAndStableAtLargeLogits() {
        for z in stride(from: -3.0, through: 3.0, by: 0.25) {
            let s = temperedSoftmax(logitDifference: z, temperature: 5)
            #expect(isClose(s + temperedSoftmax(logitDifference: -z, temperature: 5), 1, relative: 1e-15))
        }
        #expect(temperedSoftmax(logitDifference: 1000, temperature: 10) == 1)
        #expect(temperedSoftmax(logitDifference: -1000, temperature: 10) == 0)
    }

    @Test func higherTemperatureIsMoreConfident() {
        for z in [0.05, 0.5, 2.0] {
            #expect(temperedSoftmax(logitDifference: z, temperature: 10) > temperedSoftmax(logitDifference: z, temperature: 1))
            #expect(temperedSoftmax(logitDifference: -z, temperature: 10) < temperedSoftmax(logitDifference: -z, temperature: 1))
        }
    }
}
