import MarginalCore
import MarginalDatasets
import MarginalFigure
import MarginalRuns
import TerminalUI

/// The runs screen's form for a new training run: ← → pick a value from a list of sensible
/// ones, or a number is typed on the numeric fields (checked as `marginal train` checks it),
/// and the name is typed. Its defaults are `marginal train`'s. It produces the
/// `marginal train …` arguments that the launch runs and shows; with the PyTorch engine,
/// `marginal train --engine pytorch --processes N …`, the CLI's own launcher of torchrun.
public struct LaunchForm: Sendable, Equatable {
    public enum Field: Int, CaseIterable, Sendable {
        case dataset, loss, lambda, tau, steps, evalEvery, batch, learningRate, optimizer, engine, processes, seed, name

        var label: String {
            switch self {
            case .dataset: "dataset"
            case .loss: "loss"
            case .lambda: "λ"
            case .tau: "τ"
            case .steps: "steps"
            case .evalEvery: "eval every"
            case .batch: "batch"
            case .learningRate: "learning rate"
            case .optimizer: "optimizer"
            case .engine: "engine"
            case .processes: "processes"
            case .seed: "seed(s)"
            case .name: "name"
            }
        }
    }

    public var field = Field.dataset
    public var dataset = DatasetName.synthetic(.lesions)
    public var loss = LossName.ceL1
    /// nil: the loss's own default.
    public var lambda: Double?
    public var tau = 10.0
    public var steps = 500
    /// `marginal train`'s default.
    public var evalEvery = 100
    public var batch = 8
    public var learningRate = 1e-3
    public var optimizer = OptimizerName.adam
    /// marginal's CPU trainer, or PyTorch through torchrun (`marginal train --engine pytorch`).
    public var engine = EngineName.marginal
    /// torchrun's processes (`--processes`), for the PyTorch engine.
    public var processes = 2
    /// The seeds: one run, or (two or more, typed as `1,2,3`) a group of one run a seed,
    /// launched as `marginal train --seeds …`.
    public var seeds: [UInt64] = [1]
    /// The first seed; setting it launches one run of that seed.
    public var seed: UInt64 {
        get { seeds[0] }
        set { seeds = [newValue] }
    }
    /// The typed name; nil until the user types one (then the name follows dataset, loss and seed).
    public var typedName: String?
    /// A number being typed on the selected numeric field; nil when none is.
    public var typedNumber: String?

    public init() {}

    static let datasets = DatasetEntry.all.map(\.name)
    static let lambdas: [Double?] = [nil, 0, 0.01, 0.03, 0.1, 0.3, 0.5, 1, 2, 5, 10]
    static let taus = [1.0, 2, 5, 10, 20, 50]
    static let stepChoices = [20, 50, 100, 200, 300, 500, 1000, 2000, 5000, 10000, 20000]
    static let evalChoices = [5, 10, 20, 25, 50, 100, 200, 500, 1000]
    static let batches = [1, 2, 4, 8, 16, 32]
    static let learningRates = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1]
    static let optimizers = OptimizerName.allCases
    static let engines = EngineName.allCases
    static let processChoices = [1, 2, 3, 4, 8, 16]

    /// The selected dataset as the registry describes it.
    var entry: DatasetEntry? { DatasetEntry.all.first { $0.name == dataset } }

    var classes: Int { entry?.classNames.count ?? 2 }

    /// The run's name: the typed one, or `<dataset>-<loss>-<seed>` (the CLI's) with a letter
    /// after the seed when taken (`lesions-ce_l1-1b`, `-1c`, …), never a second number that reads as a seed.
    public func name(taken: Set<String>) -> String {
        if seeds.count > 1 { return RunGroup.memberName(stem: groupStem(taken: taken), seed: seeds[0]) }
        if let typedName { return typedName }
        let stem = "\(dataset)-\(loss.rawValue)-\(seed)"
        guard taken.contains(stem) else { return stem }
        for letter in "bcdefghijklmnopqrstuvwxyz" where !taken.contains(stem + String(letter)) { return stem + String(letter) }
        var attempt = 2
        while taken.contains("\(stem)-run\(attempt)") { attempt += 1 }
        return "\(stem)-run\(attempt)"
    }

    /// A group's stem (`--run`): the typed name, or `<dataset>-<loss>` (the CLI's) with a letter
    /// after it when one of its runs' names is taken.
    func groupStem(taken: Set<String>) -> String {
        if let typedName { return typedName }
        let stem = "\(dataset)-\(loss.rawValue)"
        func free(_ stem: String) -> Bool { !seeds.contains { taken.contains(RunGroup.memberName(stem: stem, seed: $0)) } }
        guard !free(stem) else { return stem }
        return "bcdefghijklmnopqrstuvwxyz".map { stem + String($0) }.first(where: free) ?? stem + "-group"
    }

    /// The names of the runs the form launches: one, or one a seed.
    public func names(taken: Set<String>) -> [String] {
        seeds.count > 1 ? seeds.map { RunGroup.memberName(stem: groupStem(taken: taken), seed: $0) } : [name(taken: taken)]
    }

    /// The fields that take a typed number.
    static let numericFields: Set<Field> = [.lambda, .tau, .steps, .evalEvery, .batch, .learningRate, .processes, .seed]

    /// Whether `character` may be typed into a number on the selected field.
    func takesTyped(_ character: Character) -> Bool {
        Self.numericFields.contains(field) && character.isASCII
            && (character.isNumber || (field == .seed ? character == "," : ".eE-+".contains(character)))
    }

    /// A character typed on a numeric field.
    mutating func typeNumber(_ character: Character) {
        guard takesTyped(character), (typedNumber ?? "").count < 24 else { return }
        typedNumber = (typedNumber ?? "") + String(character)
    }

    /// Backspace on a number being typed; true if there was one.
    mutating func deleteNumberBackward() -> Bool {
        guard var text = typedNumber else { return false }
        text.removeLast()
        typedNumber = text.isEmpty ? nil : text
        return true
    }

    /// The typed number's problem, as `marginal train` would say it; nil when it is fine (or none is typed).
    var typedProblem: String? {
        guard let text = typedNumber else { return nil }
        switch field {
        case .steps, .evalEvery, .batch, .processes:
            guard let value = Int(text), value >= 1 else { return "\(field.label) \(text): must be a whole number of at least 1" }
            if field == .batch, value > 512 { return "batch \(text): must be 1 to 512" }
            if field == .processes, value > 64 { return "processes \(text): must be 1 to 64" }
        case .seed:
            do { _ = try RunGroup.seeds(text, label: "seeds") } catch { return error.description }
        case .lambda:
            guard let value = Double(text), value.isFinite, value >= 0 else { return "λ \(text): must be a number ≥ 0" }
        case .tau, .learningRate:
            guard let value = Double(text), value.isFinite, value > 0 else { return "\(field.label) \(text): must be a positive number" }
        default: break
        }
        return nil
    }

    /// Takes the typed number into its field (Tab, ↑ ↓, Enter); false, keeping it typed, if it
    /// is not a value the field takes.
    mutating func commitTyped() -> Bool {
        guard let text = typedNumber else { return true }
        guard typedProblem == nil else { return false }
        switch field {
        case .steps: steps = Int(text)!
        case .evalEvery: evalEvery = Int(text)!
        case .batch: batch = Int(text)!
        case .processes: processes = Int(text)!
        case .seed: seeds = (try? RunGroup.seeds(text, label: "seeds")) ?? seeds
        case .lambda: if loss.defaultLambda != nil { lambda = Double(text)! }
        case .tau: tau = Double(text)!
        case .learningRate: learningRate = Double(text)!
        default: break
        }
        typedNumber = nil
        return true
    }

    /// A typed name `marginal train` would refuse, or one already taken; nil when it is fine.
    public func problem(taken: Set<String>) -> String? {
        if let typedProblem { return typedProblem }
        let name = typedName ?? name(taken: taken)
        if name.isEmpty { return "type a name, or delete it all to get the automatic one" }
        if name.hasPrefix(".") || name.hasPrefix("-") { return "a name does not start with '.' or '-'" }
        if let existing = names(taken: taken).first(where: taken.contains) { return "a run named \(existing) exists" }
        if engine == .pytorch {
            // What marginal train --engine pytorch would refuse, said before the launch.
            if seeds.count > 1 { return "a group of seeds is for the marginal engine; with PyTorch launch one run a seed" }
            if batch % processes != 0 { return "batch \(batch) with \(processes) processes: the batch is split over them, so it must be a multiple of \(processes)" }
        }
        return nil
    }

    /// `marginal train …` for this form (without the program), every value explicit.
    /// With several seeds, `--seeds s1,s2,… --run <stem>` (`name` is then the first seed's run).
    public func arguments(name: String, runsFolder: String) -> [String] {
        var arguments = ["train", "--dataset", dataset.description, "--loss", loss.rawValue]
        if let lambda, loss.defaultLambda != nil { arguments += ["--lambda", exactNumber(lambda)] }
        if loss.usesTemperature { arguments += ["--tau", exactNumber(tau)] }
        arguments += ["--steps", "\(steps)", "--eval-every", "\(evalEvery)", "--batch", "\(batch)",
                      "--lr", exactNumber(learningRate), "--optimizer", optimizer.rawValue]
        if engine == .pytorch { arguments += ["--engine", "pytorch", "--processes", "\(processes)"] }
        if seeds.count > 1 {
            let stem = name.hasSuffix("-\(seeds[0])") ? String(name.dropLast("-\(seeds[0])".count)) : name
            arguments += ["--seeds", seeds.map(String.init).joined(separator: ","), "--run", stem]
        } else {
            arguments += ["--seed", "\(seed)", "--run", name]
        }
        arguments += ["--runs-dir", runsFolder]
        return arguments
    }

    /// The value of a field as the form shows it.
    func value(_ field: Field, taken: Set<String>) -> String {
        if field == self.field, let typedNumber { return typedNumber + "▏ (typed; Tab or Enter takes it)" }
        return switch field {
        case .dataset: "\(dataset)  (\(classes) classes)"
        case .loss: loss.rawValue
        case .lambda: loss.defaultLambda == nil ? "– (no λ)" : (lambda.map(exactNumber) ?? "default (\(exactNumber(loss.defaultLambda!)))")
        case .tau: exactNumber(tau) + (loss.usesTemperature ? "" : " (unused)")
        case .steps: "\(steps)"
        case .evalEvery: "\(evalEvery) steps"
        case .batch: "\(batch)"
        case .learningRate: exactNumber(learningRate)
        case .optimizer: optimizer == .adam ? "adam" : "sgd (momentum 0.9, poly decay)"
        case .engine: engine == .marginal ? "marginal (CPU, this program)" : "PyTorch (torchrun, DDP)"
        case .processes: "\(processes)" + (engine == .pytorch ? "" : " (unused: marginal is one process)")
        case .seed: seeds.count > 1 ? seeds.map(String.init).joined(separator: ",") + "  (a group: one run a seed, one after the other)" : "\(seed)"
        case .name: seeds.count > 1 ? names(taken: taken).joined(separator: ", ")
            : name(taken: taken) + (typedName == nil ? "  (automatic)" : "")
        }
    }

    /// ↑/↓: the previous or next field, wrapping.
    mutating func moveField(by step: Int) {
        let fields = Field.allCases
        field = fields[(field.rawValue + step % fields.count + fields.count) % fields.count]
    }

    /// ←/→ on the selected field: the previous or next choice (the name takes typed text instead).
    mutating func adjust(by step: Int) {
        func next<T: Equatable>(_ current: T, in choices: [T]) -> T {
            let index = choices.firstIndex(of: current) ?? 0
            return choices[min(max(index + step, 0), choices.count - 1)]
        }
        switch field {
        case .dataset:
            dataset = next(dataset, in: Self.datasets)
            if !LossName.available(classes: classes).contains(loss) { loss = .ceL1 }
        case .loss:
            let available = LossName.available(classes: classes)
            loss = available[((available.firstIndex(of: loss) ?? 0) + step + available.count) % available.count]
            lambda = nil
        case .lambda: if loss.defaultLambda != nil { lambda = next(lambda, in: Self.lambdas) }
        case .tau: tau = next(tau, in: Self.taus)
        case .steps: steps = next(steps, in: Self.stepChoices)
        case .evalEvery: evalEvery = next(evalEvery, in: Self.evalChoices)
        case .batch: batch = next(batch, in: Self.batches)
        case .learningRate: learningRate = next(learningRate, in: Self.learningRates)
        case .optimizer: optimizer = next(optimizer, in: Self.optimizers)
        case .engine: engine = next(engine, in: Self.engines)
        case .processes: processes = next(processes, in: Self.processChoices)
        case .seed: seed = step > 0 ? seed + 1 : max(1, seed - 1)
        case .name: break
        }
    }

    /// Characters a typed name may hold: a folder name that needs no quoting in a shell.
    static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-_.+".contains(character))
    }

    /// A typed character on the name field (others are ignored).
    mutating func type(_ character: Character) {
        var name = typedName ?? ""
        guard Self.isNameCharacter(character), name.count < 64 else { return }
        name.append(character)
        typedName = name
    }

    /// Backspace on the name field; deleting the last character brings the automatic name back.
    mutating func deleteBackward() {
        guard var name = typedName else { return }
        name.removeLast()
        typedName = name.isEmpty ? nil : name
    }
}
