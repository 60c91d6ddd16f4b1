/// Something the terminal reports.
public enum TerminalEvent: Sendable, Equatable {
    case key(Key)
    case mouse(MouseEvent)
    /// The window changed size (columns, rows).
    case resize(width: Int, height: Int)
}

/// What the app's loop needs of a terminal: its size and abilities, the next event, a frame to
/// show, and giving the terminal back. `CursesTerminal` is the real one; `RecordingTerminal`
/// plays scripted events and keeps every frame, for tests (ratatui's `TestBackend`).
public protocol Terminal: AnyObject {
    /// What the terminal can show: colours and whether the locale is UTF-8.
    var theme: Theme { get }
    var width: Int { get }
    var height: Int { get }
    /// Waits for the next event: up to `timeout` milliseconds (nil: until one comes, using no
    /// CPU meanwhile); nil when the time ran out.
    func nextEvent(timeout: Int?) -> TerminalEvent?
    /// Shows `buffer` (a frame of the terminal's size).
    func draw(_ buffer: Buffer)
    /// Gives the terminal back as it was (idempotent).
    func end()
}
