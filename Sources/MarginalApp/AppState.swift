import TerminalUI

/// Everything the explorer shows, as plain values: which screen, the terminal's size and
/// abilities, and each screen's own state (kept when you switch away and back).
public struct AppState: Sendable {
    public var screen: ScreenID
    public var width: Int
    public var height: Int
    public var theme: Theme
    public var showsHelp = false
    /// The status bar's message: an export's paths, an error.
    public var message = ""
    public var curves = CurvesScreen()
    public var simplex = SimplexScreen()
    public var marginals = MarginalsScreen()
    public var temperature = TemperatureScreen()
    public var toy = ToyScreen()
    public var runs = RunsScreen()

    public init(screen: ScreenID = .curves, width: Int = 80, height: Int = 24, theme: Theme = .standard) {
        self.screen = screen
        self.width = width
        self.height = height
        self.theme = theme
    }

    /// The smallest terminal the explorer draws in; below it, a message says so.
    public static let minimumSize = (width: 60, height: 16)

    /// Milliseconds until the next `.tick`, while something animates (the toy playing); nil
    /// otherwise, so that the loop waits for input without using the CPU.
    public var tickInterval: Int? {
        switch screen {
        case .toy: toy.tickInterval
        case .runs: Self.runsPollInterval / 2  // the loop takes the feed's news: a change shows ≤ 1.5 intervals after it is written
        default: nil
        }
    }

    /// Milliseconds between two looks at the runs folder while the runs screen is open (on the
    /// feed's thread): a new evaluation shows within a fraction of a second, and an idle look
    /// costs a few `stat`s.
    public static let runsPollInterval = 250

    /// Between the tab bar and the status bar.
    static func contentArea(width: Int, height: Int) -> Rect {
        Rect(x: 0, y: 1, width: width, height: height - 2)
    }

    var contentArea: Rect { Self.contentArea(width: width, height: height) }

    var isTooSmall: Bool { width < Self.minimumSize.width || height < Self.minimumSize.height }
}

/// What every screen does: take keys and the mouse, draw itself, describe its keys, export.
protocol Screen: Sendable {
    /// The screen's own keys, for the help overlay.
    var keys: [(key: String, action: String)] { get }
    /// What the screen shows and which of the paper's equations or figures it is.
    var about: String { get }
    /// The few keys the status bar shows.
    var hints: [(key: String, action: String)] { get }
    /// Applies a key; false if the screen has no use for it.
    mutating func handle(_ key: Key) -> Bool
    /// Applies a click or drag inside `area` (the screen's part of the terminal).
    mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Bool
    /// Back to the screen's starting values.
    mutating func reset()
    func render(in area: Rect, into buffer: inout Buffer, theme: Theme)
    /// The view as `e` exports it; nil where there is nothing to export.
    func export() -> ExportRequest?
    /// The keys after the screen's own in the status bar.
    var sharedHints: [(key: String, action: String)] { get }
}

extension Screen {
    mutating func handle(_ mouse: MouseEvent, in area: Rect) -> Bool { false }
    var sharedHints: [(key: String, action: String)] { [("[ ]", "parameter"), ("r", "reset"), ("e", "export")] }
}

extension AppState {
    /// The current screen, to read.
    var current: any Screen {
        switch screen {
        case .curves: curves
        case .simplex: simplex
        case .marginals: marginals
        case .temperature: temperature
        case .toy: toy
        case .runs: runs
        }
    }

    /// The current view as `e` exports it.
    public func exportRequest() -> ExportRequest? { current.export() }

    /// Runs `body` on the current screen, to change it.
    mutating func withCurrent<R>(_ body: (inout any Screen) -> R) -> R {
        switch screen {
        case .curves: var s: any Screen = curves; defer { curves = s as! CurvesScreen }; return body(&s)
        case .simplex: var s: any Screen = simplex; defer { simplex = s as! SimplexScreen }; return body(&s)
        case .marginals: var s: any Screen = marginals; defer { marginals = s as! MarginalsScreen }; return body(&s)
        case .temperature: var s: any Screen = temperature; defer { temperature = s as! TemperatureScreen }; return body(&s)
        case .toy: var s: any Screen = toy; defer { toy = s as! ToyScreen }; return body(&s)
        case .runs: var s: any Screen = runs; defer { runs = s as! RunsScreen }; return body(&s)
        }
    }
}
