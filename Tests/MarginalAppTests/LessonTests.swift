import Foundation
import Testing
@testable import MarginalApp
import MarginalCore
import MarginalPlot
import TerminalUI

/// The guided lesson: seven steps in the paper's order, each one key from the previous, each
/// setting its screen to the state that shows the claim, the evidence on screen at every size.
@Suite struct LessonTests {
    /// What each step's screen must show (at least), the claim's evidence.
    static let evidence: [(ScreenID, [String])] = [
        (.toy, ["Dice: df", "db"]),
        (.simplex, ["★ min at  (1.00, 0.00, 0.00)"]),
        (.toy, ["CE ", "H(ŷ)"]),
        (.curves, ["KL+λ·DB₁", "0.010"]),
        (.curves, ["↓", "@p̂₁"]),
        (.temperature, ["hard", "τ=1"]),
        (.toy, ["ce_l1", "lesion", "hard"]),
    ]

    @Test func sevenStepsEachOneKeyFromTheLastShowTheirEvidenceAtEverySize() {
        #expect(lessonSteps.count == 7)
        for (width, height) in [(60, 16), (80, 24), (120, 40)] {
            var state = AppState(screen: .curves, width: width, height: height)
            send(&state, keys("w"))
            for index in lessonSteps.indices {
                #expect(state.lesson?.step == index)
                let (screenID, texts) = Self.evidence[index]
                #expect(state.screen == screenID, "step \(index + 1)")
                let before = screen(state).text()
                #expect(before.contains("Lesson \(index + 1)/7") && before.contains("Q: "), "step \(index + 1) at \(width)x\(height)")
                #expect(!before.contains("A: "))
                send(&state, keys(" "))
                let after = screen(state).text()
                #expect(after.contains("A: "), "step \(index + 1) at \(width)x\(height)")
                for text in texts { #expect(after.contains(text), "step \(index + 1) at \(width)x\(height): no \(text)\n\(after)") }
                if screenID == .toy { IdentityTests.checkWhole(state, "lesson step \(index + 1) at \(width)x\(height)") }
                send(&state, [.key(.right)])
            }
            #expect(state.lesson?.step == 6)  // → on the last step stays there
            send(&state, [.key(.left)])
            #expect(state.lesson?.step == 5 && state.screen == .temperature)
            send(&state, [.key(.escape)])
            #expect(state.lesson == nil && !screen(state).text().contains("Lesson "))
        }
    }

    /// The box shows its question, then its answer, whole at every size (wrapped, no word
    /// cut), with the step's reference; with the claim, whole, at 120x40.
    @Test func theBoxShowsTheWholeQuestionAndAnswerAtEverySize() {
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for (width, height) in [(60, 16), (80, 24), (120, 40)] {
            for index in lessonSteps.indices {
                var state = AppState(width: width, height: height)
                state.openLesson(at: index)
                let step = lessonSteps[index]
                for revealed in [false, true] {
                    state.lesson?.revealed = revealed
                    let rows = screen(state).text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let rule = rows.lastIndex { $0.hasPrefix("────") } ?? 0
                    let box = words(rows[(rule + 1)...].dropLast().joined(separator: " "))
                    let where_ = "step \(index + 1) at \(width)x\(height)"
                    #expect(box.contains(words((revealed ? "A: " : "Q: ") + (revealed ? step.answer : step.question))), "\(where_): \(box)")
                    #expect(box.contains("Lesson \(index + 1)/7 · \(step.reference)"), "\(where_)")
                    if height >= 40 { #expect(box.contains(words(step.claim)), "\(where_)") }
                }
            }
        }
    }

    @Test func theStepsNumbersAgreeWithTheirCLITwins() throws {
        // Step 6: the panel's Σ|p̂ − hard| at τ = 10 is `softmax --proportions`'s l1_to_hard there.
        var state = AppState(screen: .curves, width: 80, height: 24)
        state.openLesson(at: 5)
        #expect(state.temperature.tau == 10)
        let sample = TemperatureProportions.sample()
        let gap = SimplexPenalty.l1.value(predicted: sample.soft(10), target: sample.hard)
        #expect(screen(state).text().contains("Σ|p̂ − hard| at τ   " + String(format: "%.4f", gap)))
        // Step 4: KL + λ·DB₁'s minimum is ŷ₁² = 0.01 at λ = 1, as `curves --format json` gives it.
        state.openLesson(at: 3)
        #expect(abs(klPlusDiceBiasMinimiser(target: 0.1, lambda: 1) - 0.01) < 1e-12)
        #expect(screen(state).text().contains("0.010"))
    }

    /// Each step's state is a state string the explorer opens as it is and writes back unchanged.
    @Test func everyStepOpensItsStateString() {
        for (index, step) in lessonSteps.enumerated() {
            var state = AppState()
            state.openLesson(at: index)
            #expect(state.stateString == step.state && state.message.hasPrefix("lesson:"), "step \(index + 1): \(state.message)")
        }
    }

    @Test func everyStepNamesThePapersEquationOrTableAndACommand() {
        for step in lessonSteps {
            #expect(step.reference.contains("Eq.") || step.reference.contains("Fig.") || step.reference.contains("Table"))
            #expect(step.command.hasPrefix("marginal "))
        }
    }
}
