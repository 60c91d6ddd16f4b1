import MarginalRuns

/// Everything the explorer's loop does outside its state: spawn a run, signal a run's trainer,
/// write an export's files, read the clock and the runs feed. `SystemWorld` is the real one;
/// a test gives a fake that records what it was asked, so that key → effect → performed
/// effect is a unit test (`runExplorer`).
public protocol World: AnyObject {
    /// Starts `request` (`marginal train …`) in the background, detached from the terminal:
    /// the command line that reruns it from a shell, or why it could not start.
    func launch(_ request: LaunchRequest) -> Result<String, ExportFailure>
    /// Launched runs that ended with an error since the last call: their names and why (the
    /// last line of the log). Every ended child is collected, so none is left a zombie.
    func reapLaunched() -> [(name: String, reason: String)]
    /// Asks the trainer of run `name` to stop (`RunControl.stop`), only while the run's status,
    /// read afresh, still names `pid` (the trainer the screen showed): nil when signalled, else
    /// why not.
    func stop(run name: String, expecting pid: Int32) -> RunControlError?
    /// Writes an export's files: their paths, or why not.
    func write(_ request: ExportRequest) -> Result<[String], ExportFailure>
    /// Monotonic nanoseconds (the play timer's clock).
    func now() -> UInt64
    /// Whether the runs feed reads the runs folder (while a screen that watches runs is open).
    var watchingRuns: Bool { get set }
    /// The feed's newest list of runs since the last take, if any; waits up to `patience`
    /// seconds for one.
    func takeRuns(waitingUpTo patience: Double) -> [RunRecord]?
    /// Starts `computation` on a thread of its own.
    func start(_ computation: Computation)
    /// Asks the computation `id` to stop (its work sees it at its next progress report).
    func stopComputing(_ id: String)
    /// The computations' news since the last call (`.computed` messages).
    func takeComputed() -> [Message]
    /// Whether a computation runs or has news not yet taken (the loop then wakes every
    /// `AppState.computationPollInterval` ms to take them).
    var computing: Bool { get }
}
