import Foundation
import MarginalCore
import Synchronization

/// The source of `RunHistory.revision`s: each history's content, once changed, takes the next.
private let nextRevision = Atomic<Int>(1)

/// A run's metrics as read so far: the `train` lines (loss and its CE and regulariser parts,
/// every 10 steps) and the `eval` lines (per-class IoU and proportions), in file order.
public struct RunHistory: Sendable, Equatable {
    public private(set) var train: [TrainLine] = [] { didSet { revision = Self.newRevision() } }
    public private(set) var evaluations: [EvalLine] = [] { didSet { revision = Self.newRevision() } }
    /// Names this content: a history takes a new revision whenever its lines change (never one
    /// another history had), so equal revisions mean equal lines, and what is computed from a
    /// history can be kept under its revision (`RunPlotCache`). Not part of `==`.
    public private(set) var revision = RunHistory.newRevision()

    static func newRevision() -> Int { nextRevision.wrappingAdd(1, ordering: .relaxed).oldValue }

    public static func == (a: RunHistory, b: RunHistory) -> Bool { a.train == b.train && a.evaluations == b.evaluations }

    public init() {}

    public init(lines: [String]) { add(lines) }

    /// The lines of metrics.jsonl bytes (`add(metrics:)`).
    public init(metrics bytes: Data) { add(metrics: bytes) }

    /// Lines already typed (a TensorBoard run's scalars, read by `TensorBoardTags.reading`).
    public init(train: [TrainLine], evaluations: [EvalLine]) {
        self.train = train
        self.evaluations = evaluations
    }

    /// Adds complete lines of metrics.jsonl; a line that is not a train or eval object is skipped.
    public mutating func add(_ lines: [String]) {
        let decoder = JSONDecoder()
        for var line in lines {
            line.withUTF8 { add(line: $0, decoder: decoder) }
        }
    }

    /// Adds the lines of `bytes` (complete lines of metrics.jsonl, each ended by a newline but
    /// perhaps the last), read where they lie: no string a line.
    public mutating func add(metrics bytes: Data) {
        let decoder = JSONDecoder()
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Void in
            let all = raw.bindMemory(to: UInt8.self)
            guard let base = raw.baseAddress else { return }
            var start = 0
            while start < all.count {
                let newline: UnsafeMutableRawPointer? = memchr(base + start, Int32(UInt8(ascii: "\n")), all.count - start)
                let end = newline.map { UnsafeRawPointer($0) - base } ?? all.count
                if end > start { add(line: UnsafeBufferPointer(rebasing: all[start ..< end]), decoder: decoder) }
                start = end + 1
            }
        }
    }

    /// One line: by `MetricsLineReader` where it can say, else by `decoder`.
    private mutating func add(line bytes: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder) {
        switch MetricsLineReader.read(bytes) {
        case .train(let entry): train.append(entry)
        case .evaluation(let entry): evaluations.append(entry)
        case .other: return
        case nil: decode(Data(bytes), decoder: decoder)
        }
    }

    /// One line by `JSONDecoder`: its type, then the line of that type (skipped when it is neither).
    private mutating func decode(_ data: Data, decoder: JSONDecoder) {
        switch (try? decoder.decode(LineKind.self, from: data))?.type {
        case "train": if let entry = try? decoder.decode(TrainLine.self, from: data) { train.append(entry) }
        case "eval": if let entry = try? decoder.decode(EvalLine.self, from: data) { evaluations.append(entry) }
        default: return
        }
    }

    /// Adds one line as `JSONDecoder` alone reads it (what `MetricsLineReader` must agree with).
    mutating func addDecoding(_ line: String) { decode(Data(line.utf8), decoder: JSONDecoder()) }

    private struct LineKind: Decodable { let type: String }

    public var lastStep: Int { max(train.last?.step ?? 0, evaluations.last?.step ?? 0) }

    /// Steps a second over the last (up to) 10 train lines: the speed now, not the run's average
    /// (which a resume or a busy machine would blur). nil before two lines.
    public var stepsPerSecond: Double? {
        let recent = train.suffix(10)
        guard let first = recent.first, let last = recent.last, last.time > first.time, last.step > first.step else { return nil }
        return Double(last.step - first.step) / (last.time - first.time)
    }

    /// The x of a line: its step, or its seconds of training.
    public func x(step: Int, time: Double, axis: HistoryAxis) -> Double { axis == .step ? Double(step) : time }

    /// Per-class IoU over the evaluations (nil where the class is absent from both prediction and truth).
    public func iou(ofClass k: Int, axis: HistoryAxis) -> (x: [Double], y: [Double?]) {
        (evaluations.map { x(step: $0.step, time: $0.time, axis: axis) },
         evaluations.map { k < $0.result.iou.count ? $0.result.iou[k] : nil })
    }

    /// mIoU over the evaluations.
    public func meanIoU(axis: HistoryAxis) -> (x: [Double], y: [Double?]) {
        (evaluations.map { x(step: $0.step, time: $0.time, axis: axis) }, evaluations.map(\.result.miou))
    }

    /// The training loss, or one of its parts, over the train lines.
    public func loss(_ part: LossPart, axis: HistoryAxis) -> (x: [Double], y: [Double?]) {
        (train.map { x(step: $0.step, time: $0.time, axis: axis) },
         train.map { line -> Double? in
             switch part {
             case .total: line.loss
             case .crossEntropy: line.ce
             case .regulariser: line.reg
             }
         })
    }

    /// A class's proportion over the evaluations: the soft p̂ (τ = 1), the hard one, or ŷ.
    public func proportion(ofClass k: Int, _ kind: ProportionKind, axis: HistoryAxis) -> (x: [Double], y: [Double?]) {
        (evaluations.map { x(step: $0.step, time: $0.time, axis: axis) },
         evaluations.map { line -> Double? in
             let values = switch kind {
             case .soft: line.result.predProportion
             case .tempered: line.result.temperedProportion ?? []
             case .hard: line.result.hardProportion
             case .target: line.result.targetProportion
             }
             return k < values.count ? values[k] : nil
         })
    }
}

/// What a history's x axis counts.
public enum HistoryAxis: String, Sendable, CaseIterable {
    case step
    /// Seconds of training (a resumed run continues its clock).
    case time
}

/// The training loss, or one of its two parts: the cross-entropy term and the rest (λ·R, or the
/// whole loss when it has no CE term).
public enum LossPart: String, Sendable, CaseIterable {
    case total, crossEntropy = "ce", regulariser = "reg"
}

/// Which proportion of a class.
public enum ProportionKind: String, Sendable, CaseIterable {
    /// p̂ at τ = 1; `tempered`: at the run's τ (what L1 and KL penalise); `hard`: the argmax share.
    case soft, tempered, hard, target
}

extension RunRecord {
    /// A class the run has stopped predicting: present in the target (ŷ > 0) but with a hard
    /// proportion of 0 at each of the last three evaluations or more; the class and the step of
    /// the first of them (the earliest, if several classes went). Dice's bias pulls p̂ to a
    /// vertex of the simplex (the paper's Proposition 1): this is that collapse, seen.
    public var collapse: (classIndex: Int, since: Int)? {
        let evaluations = self.evaluations
        guard evaluations.count >= 3 else { return nil }
        var found: (Int, Int)?
        for k in classNames.indices {
            var first: Int?
            for line in evaluations.reversed() {
                let r = line.result
                guard k < r.hardProportion.count, k < r.targetProportion.count, r.targetProportion[k] > 0, r.hardProportion[k] == 0 else { break }
                first = line.step
            }
            guard let first, evaluations.filter({ $0.step >= first }).count >= 3 else { continue }
            if found == nil || first < found!.1 { found = (k, first) }
        }
        return found.map { (classIndex: $0.0, since: $0.1) }
    }

    /// "class lesion predicted nowhere since step 300: the prediction has collapsed to the
    /// all-background vertex of the simplex (the paper's Proposition 1)" for a loss with a Dice
    /// term; for one without, why that is not Proposition 1's bias; nil when no class has collapsed.
    public var collapseNote: String? {
        guard let collapse else { return nil }
        let names = classNames
        let name = collapse.classIndex < names.count ? names[collapse.classIndex] : "\(collapse.classIndex)"
        let whither = names.count == 2 ? "to the all-\(names[1 - collapse.classIndex]) vertex of the simplex"
            : "onto the simplex's face without it, towards a vertex"
        let loss = configuration.loss
        // Proposition 1 is Dice's bias: a loss without it collapses for another reason
        // (too few steps, too small a λ); a CE-based one's hidden KL (Prop. 2) pulls p̂ back
        // towards ŷ, while focal, not CE, has no such term.
        let penalties = loss.defaultLambda == nil ? "" : " and λ·R"
        let why = loss.carriesDiceBias ? "(the paper's Proposition 1)"
            : loss.carriesHiddenKL
            ? "(\(loss) has no Dice term, so not Proposition 1's bias: CE's hidden KL\(penalties) penalise it but have not undone it)"
            : "(\(loss) has no Dice term, so not Proposition 1's bias; nor is it CE, so no hidden KL pulls p̂ to ŷ: its (1 − p)^γ weight damps the well-classified pixels)"
        return "class \(name) predicted nowhere since step \(collapse.since): the prediction has collapsed \(whither) \(why)"
    }

    /// `collapseNote` in a line of 80 columns: "class lesion predicted nowhere since step 300:
    /// collapsed to a vertex (Prop. 1)", or, for a loss without a Dice term, "… (ce_l1 has no
    /// Dice term: not Prop. 1)"; `compact`, in 60: "class lesion predicted nowhere since step 300 (Prop. 1)".
    public func collapseSummary(compact: Bool = false) -> String? {
        guard let collapse else { return nil }
        let names = classNames
        let name = collapse.classIndex < names.count ? names[collapse.classIndex] : "\(collapse.classIndex)"
        let loss = configuration.loss
        let head = "class \(name) predicted nowhere since step \(collapse.since)"
        if compact { return head + (loss.carriesDiceBias ? " (Prop. 1)" : " (not Prop. 1)") }
        return head + (loss.carriesDiceBias ? ": collapsed to a vertex (Prop. 1)" : ": collapsed (\(loss) has no Dice term: not Prop. 1)")
    }
}
