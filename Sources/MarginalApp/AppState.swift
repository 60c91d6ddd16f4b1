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
    /// The guided lesson, while it runs (`w`, or `marginal lesson`).
    public var lesson: Lesson?
    /// Every screen's own state, in the registry's order (`screenTypes`); typed access through
    /// `self[CurvesScreen.self]`, or the accessor each screen declares (`state.curves`).
    var screens: [any Screen] = screenTypes.map { $0.init() }

    public init(screen: ScreenID = .curves, width: Int = 80, height: Int = 24, theme: Theme = .standard) {
        self.screen = screen
        self.width = width
        self.height = height
        self.theme = theme
    }

    /// The smallest terminal the explorer draws in; below it, a message says so.
    public static let minimumSize = (width: 60, height: 16)

    /// Milliseconds until the next `.tick`, while the current screen animates (the toy
    /// playing) or polls (the runs); nil otherwise, so that the loop waits for input without
    /// using the CPU.
    public var tickInterval: Int? { current.tickInterval }

    /// Milliseconds between two looks at the runs folder while the runs screen is open (on the
    /// feed's thread): a new evaluation shows within a fraction of a second, and an idle look
    /// costs a few `stat`s.
    public static let runsPollInterval = 250

    /// Milliseconds between two looks at a running computation's news (the toy's comparison):
    /// its progress moves on screen, and the idle look is a lock and an empty list.
    public static let computationPollInterval = 100

    /// Between the tab bar and the status bar.
    static func contentArea(width: Int, height: Int) -> Rect {
        Rect(x: 0, y: 1, width: width, height: height - 2)
    }

    var contentArea: Rect { Self.contentArea(width: width, height: height) }

    var isTooSmall: Bool { width < Self.minimumSize.width || height < Self.minimumSize.height }
}

extension AppState {
    /// A screen's state, by its type: `state[CurvesScreen.self].target`.
    subscript<S: Screen>(_ type: S.Type) -> S {
        get { screens[S.id.index] as! S }  // the registry builds screens[i] as screenTypes[i]
        set { screens[S.id.index] = newValue }
    }

    /// The current screen, to read.
    var current: any Screen { screens[screen.index] }

    /// The current view as `e` exports it.
    public func exportRequest() -> ExportRequest? { current.export() }

    /// Runs `body` on the current screen, to change it.
    mutating func withCurrent<R>(_ body: (inout any Screen) -> R) -> R { body(&screens[screen.index]) }

    /// Gives `message` to every screen, open or not.
    mutating func broadcast(_ message: Message) {
        for index in screens.indices { screens[index].receive(message) }
    }
}
