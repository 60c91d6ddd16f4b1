import TerminalUI

/// Every screen of the explorer, in tab order (the number keys pick them). Adding a screen is
/// its own file (a type conforming to `Screen`, its `ScreenID` and its `AppState` accessor) and
/// one line here: the tabs, the number keys, `--screen`, the help texts follow from this list.
let screenTypes: [any Screen.Type] = [
    CurvesScreen.self,
    SimplexScreen.self,
    MarginalsScreen.self,
    TemperatureScreen.self,
    ToyScreen.self,
    RunsScreen.self,
]

/// What every screen does: take keys and the mouse (returning what they came to), draw
/// itself, describe its keys, export. The requirements after `export()` have defaults, for the
/// few screens that need them (a typed field, a timer, the runs feed).
protocol Screen: Widget, Sendable {
    /// Which screen this is: its `--screen` name and its tab.
    static var id: ScreenID { get }
    /// The tab's title: "Curves".
    static var title: String { get }
    /// What it shows, in a few words, for `marginal tui --help`: "the paper's Fig. 2".
    static var summary: String { get }
    /// The screen at its starting values.
    init()

    /// The screen's own keys, for the help overlay.
    var keys: [(key: String, action: String)] { get }
    /// What the screen shows and which of the paper's equations or figures it is.
    var about: String { get }
    /// The few keys the status bar shows.
    var hints: [(key: String, action: String)] { get }
    /// Applies a key: what it came to (`.ignored` if the screen has no use for it).
    mutating func handle(_ key: Key) -> Response
    /// Applies a click or drag inside `area` (the screen's part of the terminal).
    mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Response
    /// Back to the screen's starting values.
    mutating func reset()
    /// The view as `e` exports it; nil where there is nothing to export.
    func export() -> ExportRequest?
    /// The adjustable settings, in the order a state string (`marginal tui --state`, the status
    /// line) writes and applies them: `ScreenState.swift`.
    static var stateKeys: [StateKey<Self>] { get }

    /// The keys after the screen's own in the status bar.
    var sharedHints: [(key: String, action: String)] { get }
    /// The status bar's line when `export()` is nil.
    var nothingToExport: String { get }
    /// Whether the screen takes `key` before the app's own keys (q, digits, Tab, ?, e, r): a
    /// field that text is typed into. Ctrl-C always quits.
    func takesFirst(_ key: Key) -> Bool
    /// Milliseconds until the next `tick()` while the screen animates (or polls); nil otherwise,
    /// so that the loop waits for input without using the CPU.
    var tickInterval: Int? { get }
    /// The play timer fired (the current screen only).
    mutating func tick()
    /// Whether the runs feed must read the runs folder while this screen is open; its news
    /// then arrive as `.runsChanged` on each tick, instead of `tick()`.
    var watchesRuns: Bool { get }
    /// A message from outside that every screen is given, open or not: the runs folder changed,
    /// a run was launched or failed to.
    mutating func receive(_ message: Message)
}

extension Screen {
    mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Response { .ignored }
    var sharedHints: [(key: String, action: String)] { [("[ ]", "parameter"), ("r", "reset"), ("e", "export")] }
    var nothingToExport: String { "nothing to export here" }
    func takesFirst(_ key: Key) -> Bool { false }
    var tickInterval: Int? { nil }
    mutating func tick() {}
    var watchesRuns: Bool { false }
    mutating func receive(_ message: Message) {}
}

/// What a key or a click came to: whether the screen took it, the status bar's new line, and
/// effects for the loop to perform (launch, stop, …).
public struct Response: Sendable, Equatable {
    /// Whether the screen had a use for it.
    public var handled: Bool
    /// The status bar's new line; nil leaves the line as it is.
    public var message: String?
    public var effects: [Effect]

    public init(handled: Bool = true, message: String? = nil, effects: [Effect] = []) {
        self.handled = handled
        self.message = message
        self.effects = effects
    }

    /// Not for this screen.
    public static let ignored = Response(handled: false)
    /// Taken; the status bar's line (about something before) is cleared.
    public static let handled = Response(message: "")
    /// Taken; the status bar's line stays (a click or a drag).
    public static let changed = Response()
    /// Taken, with a line for the status bar.
    public static func message(_ text: String) -> Response { Response(message: text) }
}

/// One of the explorer's screens, by its `--screen` name. The screens are the registry's
/// (`screenTypes`); each declares its own id beside its type (`ScreenID.curves` …).
public struct ScreenID: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// A new screen's id (declared once, in its file).
    init(_ rawValue: String) { self.rawValue = rawValue }

    /// The registered screen of that name; nil if there is none.
    public init?(rawValue: String) {
        guard let id = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = id
    }

    /// In tab order.
    public static let allCases: [ScreenID] = screenTypes.map { $0.id }

    public var description: String { rawValue }

    /// Its position in the tab order.
    var index: Int { Self.allCases.firstIndex(of: self)! }

    var type: any Screen.Type { screenTypes[index] }

    public var title: String { type.title }

    /// What it shows, in a few words.
    public var summary: String { type.summary }

    /// The key that opens it: "1" for the first.
    public var key: Character { Character(String(index + 1)) }

    /// The number keys, for the help texts: "1–6".
    public static var keyRange: String {
        let all = allCases
        guard let first = all.first, let last = all.last else { return "" }
        return all.count == 1 ? String(first.key) : "\(first.key)–\(last.key)"
    }

    /// "1 Curves (the paper's Fig. 2), 2 Simplex (…), …", for `marginal tui --help`.
    public static var overview: String {
        allCases.map { "\($0.key) \($0.title) (\($0.summary))" }.joined(separator: ", ")
    }
}
