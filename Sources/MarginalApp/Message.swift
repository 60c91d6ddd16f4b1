import MarginalRuns
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
    /// The runs folder changed (the loop's `RunWatcher` saw it): every run, by name.
    case runsChanged([RunRecord])
    /// A run was launched: its name and the command line that started it.
    case launched(name: String, command: String)
    /// A stop could not be done: the reason, in one line.
    case effectFailed(String)
    /// A run could not be launched, or its trainer ended with an error: the reason, in one line.
    case launchFailed(name: String, reason: String)
    /// A computation (`Effect.compute`) got further or ended.
    case computed(id: String, ComputationNews)
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
    /// Start `marginal train` in the background, detached from the terminal.
    case launch(LaunchRequest)
    /// Ask a run's trainer to stop (SIGINT: it finishes its step and saves).
    case stop(name: String, pid: Int32)
    /// Run a long computation off the loop's thread; its news come back as `.computed`.
    case compute(Computation)
    /// Stop a computation (its outcome then comes back as nil).
    case stopComputing(id: String)
}
