/// The files of a run folder, `runs/<name>/`, and of the runs folder: every name spelled once,
/// here (docs/ARCHITECTURE.md, "Training runs").
public enum RunFile: String, CaseIterable, Sendable {
    /// `RunStatus`: running (with the pid), done, stopped or failed (with the error). Written
    /// first, so a listed run always has a status.
    case status = "status.json"
    /// `RunConfiguration`, with the dataset's class names.
    case configuration = "config.json"
    /// Append-only, one JSON object a line (`TrainLine`, `EvalLine`).
    case metrics = "metrics.jsonl"
    /// The model's parameters and the optimiser's state.
    case checkpoint = "checkpoint.bin"
    /// What `checkpoint.bin` holds: step, learning rate, the plateau rule's state.
    case checkpointInfo = "checkpoint.json"
    /// The test split's numbers, at the end of a finished run.
    case summary = "summary.json"
    /// `RunPreview`: one validation image's truth and prediction.
    case preview = "preview.png"
    /// The `flock` a trainer holds while it lives (`RunLock`).
    case lock = ".lock"

    /// The folder, in the runs folder, of launched trainers' logs (`<name>.log`).
    public static let logsFolder = ".logs"
}
