import ArgumentParser
import Foundation
import MarginalApp
import MarginalCore
import MarginalDatasets
import MarginalEngine
import MarginalRuns
import TerminalUI

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure marginal's speed against the PyTorch yardsticks.",
        discussion: """
        Each benchmark times marginal's own code and, when a Python with PyTorch is given, runs the matching yardstick (Scripts/bench in the package) right after on the same machine and prints the ratio. Quote ratios, not absolute times: shared machines are noisy. Build in release first:
          swift build -c release
          .build/release/marginal bench loss --python python3
        """,
        subcommands: [LossBench.self, TrainStepBench.self, TUIBench.self]
    )
}

struct LossBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "Value + gradient of ce_l1 (τ = 10, λ = 1), B = 2, K = 19, 512 x 512, in million logits per second.",
        discussion: "The same evaluation as Scripts/bench/loss_torch.py (2 threads, 3 warm-up runs, then the mean of --repeats)."
    )

    @Option(help: "Threads for marginal's passes (the yardstick uses 2).")
    var threads = 2

    @Option(help: "Timed evaluations after 3 warm-up ones.")
    var repeats = 10

    @OptionGroup var yardstick: YardstickOptions

    func run() throws {
        try reportingFailures("bench loss") {
            guard threads >= 1 else { throw MarginalError("--threads \(threads): must be at least 1") }
            guard repeats >= 1 else { throw MarginalError("--repeats \(repeats): must be at least 1") }
            let resolvedYardstick = try yardstick.resolved(Self.defaultYardstick)
            let (b, k, h, w) = (2, 19, 512, 512)
            var generator = SeededRandom(seed: 0)
            // Standard normal logits (Box–Muller) and uniform labels, as torch.randn and torch.randint.
            let logits = (0 ..< b * k * h * w).map { _ in Float(generator.normal()) }
            let labels = (0 ..< b * h * w).map { _ in UInt8(generator.next() % UInt64(k)) }
            let batch = try SegmentationBatch(logits: logits, labels: labels, batchSize: b, classes: k, height: h, width: w)
            var checksum = 0.0
            for _ in 0 ..< 3 { checksum += try evaluateLoss(.ceL1, on: batch, threads: threads).value }
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< repeats {
                let result = try evaluateLoss(.ceL1, on: batch, threads: threads)
                checksum += result.value + Double(result.gradient[result.gradient.count / 2])
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repeats)
            let ours = Double(logits.count) / seconds / 1e6
            print(String(format: "marginal ce_l1 value+grad B=%d K=%d %dx%d, %d threads: %.1f ms (%.0f M logits/s)",
                         b, k, h, w, threads, seconds * 1000, ours))
            guard checksum.isFinite else { throw MarginalError("the loss came out non-finite; the benchmark is invalid") }
            printLossRoofline(logits: logits.count, pixels: labels.count, secondsPerEvaluation: seconds, threads: threads)
            guard let torch = resolvedYardstick else { return print(Yardstick.notRun) }
            let line = try torch.run()
            guard let theirs = Self.logitsPerSecond(in: line) else {
                throw MarginalError("\(torch.script): could not read 'M logits/s' from its output")
            }
            print(String(format: "ratio: marginal is %.2fx PyTorch's throughput", ours / theirs))
        }
    }

    /// In Scripts/bench (`packagedYardstick`).
    static let defaultYardstick = "loss_torch.py"

    /// The number before "M logits/s" in the yardstick's line.
    static func logitsPerSecond(in line: String) -> Double? {
        guard let range = line.range(of: " M logits/s") else { return nil }
        let prefix = line[..<range.lowerBound]
        let number = prefix.split(separator: "(").last.map(String.init) ?? ""
        return Double(number)
    }
}

struct TUIBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Time one frame of each explorer screen (state → cells, no terminal), 200 x 60 by default.",
        discussion: """
        The goal is under 2 ms a frame. The first line times what launch does before the first frame: the starting state and its first render (including each screen's one-off sample data). With --runs-dir, the Runs screen is timed on those runs (its list, the monitor of the run with the most evaluations, whole and zoomed to a quarter of x, the monitor of the largest group of seeds, whole and zoomed, the comparison of the runs on its dataset), and so is a look at the folder: the first (every file read) and an idle one (nothing changed, what the explorer does four times a second).

        Example:
          marginal bench tui --runs-dir runs
        """
    )

    @Option(help: "Terminal columns.")
    var width = 200

    @Option(help: "Terminal rows.")
    var height = 60

    @Option(help: "Timed frames per screen, after 3 warm-up ones.")
    var repeats = 100

    @Option(help: ArgumentHelp("A folder of training runs to time the Runs screen on.", valueName: "dir"))
    var runsDir: String?

    func run() throws {
        try reportingFailures("bench tui") {
            guard width >= 1, height >= 1 else { throw MarginalError("--width and --height must be at least 1") }
            guard repeats >= 1 else { throw MarginalError("--repeats \(repeats): must be at least 1") }
            let launch = DispatchTime.now().uptimeNanoseconds
            let first = AppState(screen: .curves, width: width, height: height)
            var buffer = Buffer(width: width, height: height)
            render(first, into: &buffer)
            print(String(format: "first frame (state + render of Curves, cold): %.2f ms", milliseconds(since: launch)))
            var worst = 0.0
            for screen in ScreenID.allCases where screen != .runs || runsDir == nil {
                worst = max(worst, time(AppState(screen: screen, width: width, height: height), label: screen.rawValue))
            }
            if let runsDir { worst = max(worst, try timeRunsScreen(URL(fileURLWithPath: runsDir))) }
            print(String(format: "slowest screen: %.3f ms a frame (goal: under 2 ms)", worst))
        }
    }

    /// Mean milliseconds a frame of `state` (printed with the slowest), after 3 warm-up frames.
    func time(_ state: AppState, label: String) -> Double {
        for _ in 0 ..< 3 {
            var warm = Buffer(width: width, height: height)
            render(state, into: &warm)
        }
        var slowest = 0.0, total = 0.0
        for _ in 0 ..< repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            var frame = Buffer(width: width, height: height)
            render(state, into: &frame)
            let elapsed = milliseconds(since: start)
            total += elapsed
            slowest = max(slowest, elapsed)
        }
        let mean = total / Double(repeats)
        print(label.padding(toLength: 14, withPad: " ", startingAt: 0)
              + String(format: "%dx%d: mean %.3f ms, slowest %.3f ms a frame (%d frames)", width, height, mean, slowest, repeats))
        return mean
    }

    /// The Runs screen's three views on the runs of `folder`, and the watcher's polls.
    func timeRunsScreen(_ folder: URL) throws(MarginalError) -> Double {
        guard FileManager.default.fileExists(atPath: folder.path) else { throw MarginalError("--runs-dir \(folder.path): no such folder") }
        let watcher = RunWatcher(folder: folder)
        let cold = DispatchTime.now().uptimeNanoseconds
        let runs = watcher.poll() ?? []
        print(String(format: "runs poll     first look (%d runs, every file read): %.2f ms", runs.count, milliseconds(since: cold)))
        var idle = 0.0
        for _ in 0 ..< repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = watcher.poll()
            idle += milliseconds(since: start)
        }
        print(String(format: "runs poll     idle look (nothing changed): mean %.3f ms (%d looks)", idle / Double(repeats), repeats))
        guard let busiest = runs.max(by: { $0.evaluations.count < $1.evaluations.count }) else {
            throw MarginalError("--runs-dir \(folder.path): no runs in it to draw")
        }
        var state = AppState(screen: .runs, width: width, height: height)
        _ = update(&state, .runsChanged(runs))
        var worst = time(state, label: "runs list")
        state.runs.selectedName = busiest.name
        state.runs.mode = .monitor
        worst = max(worst, time(state, label: "runs monitor"))
        state.runs.zoom = 0.25 ... 0.5
        worst = max(worst, time(state, label: "runs zoomed"))
        state.runs.zoom = nil
        // The largest group of seeds (runs differing only in their seed): its mean and band.
        if let group = RunGroup.groups(of: runs).max(by: { $0.runs.count < $1.runs.count }), group.runs.count > 1 {
            state.runs.selectedName = group.runs[0].name
            state.runs.selectedIsGroup = true
            worst = max(worst, time(state, label: "runs group \(group.runs.count)"))
            state.runs.zoom = 0.25 ... 0.5
            worst = max(worst, time(state, label: "group zoomed"))
            state.runs.zoom = nil
            state.runs.selectedIsGroup = false
        }
        state.runs.compared = runs.filter { $0.configuration.dataset == busiest.configuration.dataset }.map(\.name)
        state.runs.mode = .compare
        return max(worst, time(state, label: "runs compare"))
    }
}

private func milliseconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }
