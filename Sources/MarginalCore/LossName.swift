/// Every loss of CONVENTIONS.md, by the name the CLI and the run files use. Each is defined once,
/// in `recipe`: its terms and the default λ of its weighted term. Whether it is binary only or
/// reads p̂ (and so τ), and the CLI's list of choices, follow from that. Adding a composite
/// loss is one case here and one line in `recipe`.
public enum LossName: String, CaseIterable, Codable, Sendable {
    case ce, focal, dice
    case logDice = "log_dice"
    case dice1
    case logDice1 = "log_dice1"
    case gdice
    case diceCE = "dice_ce"
    case logDiceCE = "log_dice_ce"
    case ceDB = "ce_db"
    case ceDB1 = "ce_db1"
    case ceKL = "ce_kl"
    case ceL1 = "ce_l1"

    /// The loss's definition: its first term at weight 1, and optionally a second term weighted
    /// by λ, with the λ taken when none is given (1 for ce_l1, 0.1 for the other composites: the
    /// authors' settings).
    private var recipe: (term: LossTerm, weighted: (term: LossTerm, defaultLambda: Double)?) {
        switch self {
        case .ce: (.crossEntropy, nil)
        case .focal: (.focal, nil)
        case .dice: (.dice(logarithmic: false, foregroundOnly: false), nil)
        case .logDice: (.dice(logarithmic: true, foregroundOnly: false), nil)
        case .dice1: (.dice(logarithmic: false, foregroundOnly: true), nil)
        case .logDice1: (.dice(logarithmic: true, foregroundOnly: true), nil)
        case .gdice: (.generalizedDice, nil)
        case .diceCE: (.crossEntropy, (.dice(logarithmic: false, foregroundOnly: false), 0.1))
        case .logDiceCE: (.crossEntropy, (.dice(logarithmic: true, foregroundOnly: false), 0.1))
        case .ceDB: (.crossEntropy, (.marginal(.db), 0.1))
        case .ceDB1: (.crossEntropy, (.marginal(.db1), 0.1))
        case .ceKL: (.crossEntropy, (.marginal(.kl), 0.1))
        case .ceL1: (.crossEntropy, (.marginal(.l1), 1.0))
        }
    }

    /// λ when none is given; nil for a loss without λ.
    public var defaultLambda: Double? { recipe.weighted?.defaultLambda }

    /// Defined for K = 2 only (class 1 is the foreground): a term of it is.
    public var isBinaryOnly: Bool { terms().contains { $0.term.isBinaryOnly } }

    /// Whether the loss reads p̂ (and so τ): a term of it is a label-marginal penalty.
    public var usesTemperature: Bool {
        terms().contains { if case .marginal = $0.term { true } else { false } }
    }

    /// The loss as a weighted sum of terms, λ taken from `lambda` or the default.
    public func terms(lambda: Double? = nil) -> [(weight: Double, term: LossTerm)] {
        let (first, weighted) = recipe
        guard let weighted else { return [(1, first)] }
        return [(1, first), (lambda ?? weighted.defaultLambda, weighted.term)]
    }

    /// Whether it carries Dice's label-marginal bias, the one Proposition 1 describes: a term of
    /// it is a Dice loss (any form) or the bias DB (DB₁) itself.
    public var carriesDiceBias: Bool {
        terms().contains { term in
            switch term.term {
            case .dice, .generalizedDice, .marginal(.db), .marginal(.db1): true
            default: false
            }
        }
    }

    /// Whether it holds CE, and so, by Proposition 2 (CE = H(F|K) + KL(ŷ‖p̂) + H(ŷ)), CE's hidden
    /// KL towards ŷ. Focal does not: its (1 − p_y)^γ weight makes it another loss.
    public var carriesHiddenKL: Bool {
        terms().contains { $0.term == .crossEntropy }
    }

    /// The losses defined for K classes, in table order.
    public static func available(classes: Int) -> [LossName] {
        allCases.filter { classes == 2 || !$0.isBinaryOnly }
    }
}

extension LossName: CustomStringConvertible {
    /// The name as docs/CONVENTIONS.md, `config.json` and the command line spell it.
    public var description: String { rawValue }
}
