import Foundation
import MarginalRuns

/// The real outside world of the explorer: processes, signals, files, the clock, the runs
/// folder. The only place the loop calls run control (`RunControl`: launch, reap, stop).
public final class SystemWorld: World {
    let runsFolder: String
    let exportsFolder: URL
    let executable: String
    private let feed: RunFeed
    /// Children launched from here and not yet collected.
    private var launched: [(pid: Int32, request: LaunchRequest)] = []
    private let computations = BackgroundComputations()

    /// Runs under `runsFolder` (read every `pollInterval` ms while watched), exports into
    /// `exportsFolder`, launches of this very binary.
    public init(runsFolder: String, exportsFolder: URL, pollInterval: Int = AppState.runsPollInterval) {
        self.runsFolder = runsFolder
        self.exportsFolder = exportsFolder
        executable = RunControl.executable
        feed = RunFeed(folder: URL(fileURLWithPath: runsFolder), interval: Double(pollInterval) / 1000)
    }

    public func launch(_ request: LaunchRequest) -> Result<String, ExportFailure> {
        do {
            let child = try RunControl.launch(request, executable: executable)
            launched.append((child.pid, request))
            return .success(child.command)
        } catch {
            return .failure(ExportFailure(error.reason))
        }
    }

    public func reapLaunched() -> [(name: String, reason: String)] {
        var failures: [(name: String, reason: String)] = []
        launched.removeAll { child in
            switch MarginalRuns.reapLaunched(pid: child.pid, request: child.request) {
            case .running: return false
            case .succeeded: return true
            case .failed(let reason): failures.append((child.request.name, reason)); return true
            }
        }
        return failures
    }

    public func stop(run name: String, expecting pid: Int32) -> RunControlError? {
        do {
            try RunControl.stop(RunControl.existingRun(name, in: URL(fileURLWithPath: runsFolder)), expecting: pid)
            return nil
        } catch {
            return error
        }
    }

    public func write(_ request: ExportRequest) -> Result<[String], ExportFailure> {
        switch writeExport(request, into: exportsFolder) {
        case .exported(let result): result
        default: .failure(ExportFailure("the export wrote nothing"))
        }
    }

    public func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    public var watchingRuns: Bool {
        get { feed.watching }
        set { feed.watching = newValue }
    }

    public func takeRuns(waitingUpTo patience: Double) -> [RunRecord]? {
        patience > 0 ? feed.take(waitingUpTo: patience) : feed.take()
    }

    public func start(_ computation: Computation) { computations.start(computation) }
    public func stopComputing(_ id: String) { computations.stop(id) }
    public func takeComputed() -> [Message] { computations.take() }
    public var computing: Bool { !computations.isEmpty }
}
