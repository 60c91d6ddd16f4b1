/// A terminal for tests: it plays a script of events and records every frame drawn, and the
/// timeout of every wait (ratatui's `TestBackend`). A frame is recorded as the terminal would
/// show it: in ASCII when the theme has no Unicode.
public final class RecordingTerminal: Terminal {
    public let theme: Theme
    public private(set) var width: Int
    public private(set) var height: Int
    /// The events still to come, in order; nil stands for a wait whose time ran out. When the
    /// script is over, the terminal reports Ctrl-C, so that a loop under test always ends.
    public var script: [TerminalEvent?]
    /// Every frame drawn, in order.
    public private(set) var frames: [Buffer] = []
    /// The timeout of every wait, in order (nil: waited without one).
    public private(set) var timeouts: [Int?] = []
    public private(set) var ended = false

    public init(width: Int = 80, height: Int = 24, theme: Theme = .standard, script: [TerminalEvent?] = []) {
        self.width = width
        self.height = height
        self.theme = theme
        self.script = script
    }

    /// The last frame drawn.
    public var lastFrame: Buffer? { frames.last }

    public func nextEvent(timeout: Int?) -> TerminalEvent? {
        timeouts.append(timeout)
        guard !script.isEmpty else { return .key(.control("c")) }
        let event = script.removeFirst()
        if case .resize(let newWidth, let newHeight) = event { (width, height) = (newWidth, newHeight) }
        return event
    }

    public func draw(_ buffer: Buffer) { frames.append(theme.unicode ? buffer : buffer.asciiOnly()) }

    public func end() { ended = true }
}
