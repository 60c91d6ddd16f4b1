import TerminalUI

/// Everything that can happen to the app: input, a resize, a timer tick, an effect's outcome.
public enum Message: Sendable, Equatable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// The play timer fired (only while something animates: `AppState.tickInterval`).
    case tick
    /// An export was written (the paths) or failed (the reason).
    case exported(Result<[String], ExportFailure>)
}

/// Why an export could not be written.
public struct ExportFailure: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// What `update` asks the loop to do: values, so that `update` stays pure and testable.
public enum Effect: Sendable, Equatable {
    case quit
    case export(ExportRequest)
}
