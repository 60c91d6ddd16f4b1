/// The explorer's screens, in tab order (the number keys pick them).
public enum ScreenID: String, CaseIterable, Sendable {
    case curves, simplex, marginals, temperature, toy, runs

    public var title: String {
        switch self {
        case .curves: "Curves"
        case .simplex: "Simplex"
        case .marginals: "Marginals"
        case .temperature: "Temperature"
        case .toy: "Toy"
        case .runs: "Runs"
        }
    }

    /// The key that opens it: "1" for the first.
    public var key: Character { Character(String(Self.allCases.firstIndex(of: self)! + 1)) }
}
