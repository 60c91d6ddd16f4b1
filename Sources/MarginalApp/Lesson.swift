import MarginalCore
import TerminalUI

/// One step of the guided lesson: a claim of the paper, the explorer set to the state that shows
/// it, a question for the audience first, then the answer the live screen gives.
public struct LessonStep: Sendable {
    /// "Prop. 1 (Eq. 2)".
    public let reference: String
    /// The claim in a few words.
    public let claim: String
    public let question: String
    public let answer: String
    /// The keys that reach the same state by hand, from a fresh explorer.
    public let keys: String
    /// The CLI twin: the command that prints or draws the same evidence.
    public let command: String
    /// The explorer's state for the step, as `marginal tui --state` opens it.
    public let state: String
}

/// Where the lesson is: which step, and whether its answer shows.
public struct Lesson: Sendable, Equatable {
    public var step = 0
    public var revealed = false
    public init(step: Int = 0) { self.step = step }
}

/// The seven claims in the paper's order. Each step is one key (→) from the previous.
public let lessonSteps: [LessonStep] = [
    LessonStep(
        reference: "Sec. 2.2, Eq. 1", claim: "Dice = a ground-truth matching term + a label-marginal bias",
        question: "log-Dice is one number. Which two parts does the paper split it into, and which of them sees only the proportions p̂?",
        answer: "df, the matching term, and DB = Σₖ log(p̂ₖ + ŷₖ), a function of the proportions alone: the panel's 'Dice: df … db …'.",
        keys: "5, l ×3 (log_dice), space ×20", command: "marginal toy --loss log_dice --steps 20 --every 20 --json",
        state: "toy:loss=log_dice,steps=20"),
    LessonStep(
        reference: "Prop. 1, Eq. 2", claim: "Dice's bias is smallest at the vertex of the largest class",
        question: "ŷ = (0.6, 0.3, 0.1). Where over the simplex is Dice's bias DB smallest: at ŷ, in the middle, or elsewhere?",
        answer: "At the vertex (1, 0, 0) of the largest class (★): every pixel in one region. DB is concave, so a vertex wins.",
        keys: "2", command: "marginal simplex --yhat 0.6,0.3,0.1 --penalty db --format json",
        state: "simplex"),
    LessonStep(
        reference: "Prop. 2, Eq. 4", claim: "CE hides a KL that pulls p̂ to the true proportions ŷ",
        question: "CE has no proportion in its formula. Does it still pull the predicted proportions p̂ anywhere?",
        answer: "Yes: CE = H(F|K) + KL(ŷ‖p̂) + H(ŷ) exactly (the panel's identity, to the last digit); the KL is smallest at p̂ = ŷ.",
        keys: "5, space ×10", command: "marginal toy --loss ce --steps 10 --every 10 --json",
        state: "toy:steps=10"),
    LessonStep(
        reference: "Eq. 5, Fig. 2", claim: "CE + λ·Dice pulls the minimum below ŷ; CE + λ·L1 keeps it at ŷ",
        question: "CE already hides KL. Add λ·DB₁ (a Dice term) or λ·L1 at λ = 1: where is each sum smallest, for ŷ₁ = 0.1?",
        answer: "KL+λ·DB₁ at 0.010 = ŷ₁² (◎, the root of (1−λ)p² + λp − ŷ₁²), far below ŷ₁; KL+λ·L1 stays at ŷ₁ = 0.100.",
        keys: "1, c", command: "marginal curves --yhat 0.1 --lambda 1 --penalties kl,kl+db1,kl+l1 --format json",
        state: "curves:penalties=kl,kl+db1,kl+l1,kl+kl"),
    LessonStep(
        reference: "Fig. 2 caption", claim: "L1's gradient stays finite near an empty foreground; KL's does not",
        question: "A tiny lesion predicted nowhere: p̂₁ near 0. Which penalty's slope gives a usable gradient there, KL's or L1's?",
        answer: "L1's slope stays −1; KL's, −ŷ₁/p̂₁, runs to −∞ (the ↓ at the cut): L1 has 'better gradient dynamics' near 0.",
        keys: "1, d", command: "marginal curves --yhat 0.1 --derivative --format json",
        state: "curves:derivative=on"),
    LessonStep(
        reference: "App. C, Fig. 5", claim: "A temperature τ makes the soft p̂ approach the hard proportion",
        question: "R(ŷ, p̂) is computed on the soft p̂. What does raising τ from 1 to 10 do to p̂ against the hard (argmax) proportion?",
        answer: "It brings p̂ to the hard proportion: Σ|p̂ − hard| falls from 0.19 at τ = 1 to a few thousandths at τ = 10.",
        keys: "4, t", command: "marginal softmax --proportions --format json",
        state: "temperature:tau=10"),
    LessonStep(
        reference: "Tables 2–4", claim: "Trained with CE + λ·L1, the predicted proportions follow ŷ",
        question: "A 2 % lesion, trained with CE + λ·L1 (Eq. 5) for 100 steps: how close is the hard proportion to ŷ? And Dice?",
        answer: "ce_l1's hard lesion proportion sits at ŷ (the table). On this easy toy Dice gets there too: c trains every loss, docs/toy.md says where the paper's claims reproduce; 6 Runs for UNets.",
        keys: "5, l ×12 (ce_l1), space ×100", command: "marginal toy --loss ce_l1 --steps 100 --every 100",
        state: "toy:loss=ce_l1,steps=100"),
]

extension AppState {
    /// Opens the lesson at `step` (0-based) and sets the explorer to that step's state.
    public mutating func openLesson(at step: Int = 0) {
        let step = min(max(step, 0), lessonSteps.count - 1)
        lesson = Lesson(step: step)
        do { try open(state: lessonSteps[step].state) } catch {
            message = "lesson step \(step + 1): \(error.description)"  // LessonTests open every step's state
            return
        }
        message = "lesson: space the answer · → next · ← back · Esc close"
    }

    /// The lesson's keys: → ← move between steps (each sets its state), space or Enter reveals
    /// the answer (once it shows, space is the screen's again: the toy's step), Esc or w closes.
    /// False for a key the lesson leaves to the screen.
    mutating func handleLesson(_ key: Key) -> Bool {
        guard let current = lesson else { return false }
        switch key {
        case .right, .character("."):
            if current.step + 1 < lessonSteps.count { openLesson(at: current.step + 1) }
        case .left, .character(","):
            if current.step > 0 { openLesson(at: current.step - 1) }
        case .character(" ") where !current.revealed, .enter:
            lesson?.revealed = true
        case .escape, .character("w"):
            lesson = nil
            message = "lesson closed (w reopens it)"
        default:
            return false
        }
        return true
    }
}

/// The lesson's lines at `width`, every one whole (wrapped, never cut): the step, its reference
/// and its claim (the claim left out where it would take the rows of the question or answer:
/// more than `rows` in all); the question, or once revealed the answer; when `full`, the shell
/// command and the keys.
func lessonLines(_ lesson: Lesson, width: Int, full: Bool, rows: Int) -> [(String, Style)] {
    let step = lessonSteps[lesson.step]
    let heading = "Lesson \(lesson.step + 1)/\(lessonSteps.count) · \(step.reference)"
    var body: [(String, Style)]
    if lesson.revealed {
        body = wrap("A: " + step.answer, width: width).map { ($0, Style(attributes: .bold)) }
        if full { body += wrap("shell: " + step.command, width: width).map { ($0, .dim) } }
    } else {
        body = wrap("Q: " + step.question, width: width).map { ($0, .plain) }
        if full { body.append(("space: the answer  → next  ← back  Esc close", .dim)) }
    }
    let titled = wrap(heading + " · " + step.claim, width: width).map { ($0, Style.bold) }
    return (full || titled.count + body.count <= rows ? titled : [(heading, .bold)]) + body
}

/// The most rows the box takes: half the content (the screen keeps the rest for the evidence).
func lessonBoxLimit(_ content: Rect) -> Int { max(3, content.height / 2) }

/// The box's rows (its rule included): the whole text, at most `lessonBoxLimit`; the shell
/// command and the keys only where the content is at least 30 rows high.
func lessonBoxHeight(_ lesson: Lesson, in content: Rect) -> Int {
    let lines = lessonLines(lesson, width: max(1, content.width - 2), full: content.height >= 30, rows: lessonBoxLimit(content) - 1)
    return min(lines.count + 1, lessonBoxLimit(content))
}

/// The lesson's box, `height` rows at the bottom of the content area.
func renderLesson(_ lesson: Lesson, in content: Rect, height: Int, into buffer: inout Buffer, theme: Theme) {
    let width = max(1, content.width - 2)
    let lines = lessonLines(lesson, width: width, full: content.height >= 30, rows: lessonBoxLimit(content) - 1)
    let box = Rect(x: content.x, y: content.maxY - height, width: content.width, height: height)
    buffer.fill(box)
    let rule = String(repeating: theme.unicode ? "─" : "-", count: content.width)
    buffer.write(rule, x: box.x, y: box.y, Style(foreground: theme.color(.gray)))
    for (index, line) in lines.prefix(height - 1).enumerated() {
        buffer.write(line.0, x: box.x + 1, y: box.y + 1 + index, line.1, limit: width)
    }
}
