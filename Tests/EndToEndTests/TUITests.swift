import Foundation
import Testing
import TestSupport

/// The explorer in a real terminal: tmux runs the built `marginal`, `capture-pane` reads the
/// screen, `send-keys` types. Each test uses its own tmux server (`-L`), so it never touches a
/// session of the person running the tests.
@Suite(.enabled(if: Tmux.isInstalled, "tmux is not installed, so the explorer's end-to-end tests cannot run (Scripts/install-dependencies.sh installs it)"),
       .serialized)
struct TUITests {
    let tmux = Tmux()
    let folder: URL

    init() throws { folder = try makeTemporaryFolder("tui") }

    /// The shell line tmux runs: `marginal` (a UTF-8 locale), then its exit status and the
    /// terminal's settings once it is gone, then a pause so the pane stays readable. Each file is
    /// written under another name and renamed, so a test never reads one half written.
    func wrapper(_ arguments: String = "", term: String = "xterm-256color") -> String {
        let pidFile = folder.appendingPathComponent("pid").path
        let inner = "echo \\$\\$ > \(pidFile); exec \(MarginalProcess.executable.path) \(arguments)"
        // The outer shell ignores SIGINT, or it would end itself with marginal on Ctrl-C.
        return "trap '' INT; cd \(folder.path) && TERM=\(term) LANG=C.UTF-8 LC_ALL=C.UTF-8 sh -c \"\(inner)\"; "
            + "echo EXIT=$? > exit.part; mv exit.part exit.txt; stty -a > stty.part; mv stty.part stty.txt; echo DONE; sleep 60"
    }

    func file(_ name: String) -> String? { try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }

    func waitForExit() throws -> String {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let status = file("exit.txt"), file("stty.txt") != nil { return status.trimmingCharacters(in: .whitespacesAndNewlines) }
            usleep(20_000)
        }
        throw TmuxFailure("marginal did not exit")
    }

    /// The terminal is back to normal: line editing and echo are on again, and the pane shows
    /// the shell's output, not the explorer (curses left the alternate screen).
    func expectTerminalRestored() throws {
        let stty = try #require(file("stty.txt"))
        #expect(stty.contains(" icanon") && stty.contains(" echo ") && !stty.contains("-icanon") && !stty.contains(" -echo "))
        let screen = try tmux.waitFor("DONE")
        #expect(!screen.contains("1 Curves"), "the explorer is still on screen:\n\(screen)")
    }

    @Test func opensOnCurvesReactsToKeysAndResizesAndQuitsCleanly() throws {
        let started = Date()
        try tmux.start(wrapper(), width: 120, height: 40)
        defer { tmux.stop() }
        _ = try tmux.waitFor("1 Curves")
        let latency = Date().timeIntervalSince(started)
        print("marginal: first frame under tmux after \(Int(latency * 1000)) ms (debug build, polling every 5 ms)")
        #expect(latency < 5)
        var screen = try tmux.waitForStill("Curves · the paper's Fig. 2", "▸ target ŷ₁   0.100")
        #expect(screen.contains("⠉") || screen.contains("⣀"), "braille curves are drawn")

        try tmux.send("Up", "Up")
        _ = try tmux.waitFor("▸ target ŷ₁   0.200")
        // KL's minimum follows ŷ₁ (waited for too: a capture can fall between two rows of a frame).
        _ = try tmux.waitFor("KL   0.200")

        try tmux.send("2")
        _ = try tmux.waitFor("Simplex · Proposition 1", "★", "class 1")

        try tmux.resize(width: 80, height: 24)
        screen = try tmux.waitFor("Simplex · Proposition 1")
        #expect(screen.split(separator: "\n").count <= 24)
        try tmux.resize(width: 50, height: 12)
        _ = try tmux.waitFor("at least", "50×12")
        try tmux.resize(width: 100, height: 30)
        _ = try tmux.waitFor("Simplex · Proposition 1")

        try tmux.send("?")
        _ = try tmux.waitFor("Simplex — keys")
        try tmux.send("Escape", "q")
        #expect(try waitForExit() == "EXIT=0")
        try expectTerminalRestored()
    }

    @Test func opensOnANamedScreenAndExportsItsView() throws {
        try tmux.start(wrapper("tui --screen temperature"), width: 120, height: 40)
        defer { tmux.stop() }
        _ = try tmux.waitFor("Temperature · Fig. 5")
        try tmux.send("t", "e")
        _ = try tmux.waitFor("saved exports/temperature-tau10", ".svg")
        let exports = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("exports").path).sorted()
        // Both charts of the screen: Fig. 5, and p̂ at τ against the hard proportion (claim 6).
        #expect(exports == ["temperature-tau10-proportions.csv", "temperature-tau10-proportions.svg",
                            "temperature-tau10.csv", "temperature-tau10.svg"])
        try tmux.send("q")
        #expect(try waitForExit() == "EXIT=0")
    }

    /// The Toy screen as a teacher drives it: one step, play, pause, reset (same seed, so back to
    /// step 0), and the next loss.
    @Test func toyStepsPlaysResetsAndSwitchesLoss() throws {
        try tmux.start(wrapper("tui --screen toy"), width: 120, height: 40)
        defer { tmux.stop() }
        _ = try tmux.waitFor("Toy · paused · step 0")
        _ = try tmux.waitFor("loss     ce", "ground truth")
        try tmux.send("Space")
        _ = try tmux.waitFor("Toy · paused · step 1")
        try tmux.send("p")
        _ = try tmux.waitFor("Toy · playing")
        usleep(800_000)
        try tmux.send("p")
        let paused = try tmux.waitForStill("Toy · paused")
        let step = paused.components(separatedBy: "Toy · paused · step ").last.flatMap { Int($0.prefix { $0.isNumber }) }
        #expect((step ?? 0) > 1, "playing advanced the steps: \(String(describing: step))")
        try tmux.send("r")
        _ = try tmux.waitFor("Toy · paused · step 0")
        try tmux.send("l")
        _ = try tmux.waitFor("loss     focal")
        try tmux.send("q")
        #expect(try waitForExit() == "EXIT=0")
    }

    /// Ctrl-C and SIGTERM end the explorer with the signal's status, and the terminal is restored.
    @Test(arguments: ["INT", "TERM"])
    func aSignalRestoresTheTerminal(signal: String) throws {
        try tmux.start(wrapper(), width: 100, height: 30)
        defer { tmux.stop() }
        _ = try tmux.waitFor("1 Curves")
        if signal == "INT" {
            try tmux.send("C-c")
        } else {
            let pid = try #require(file("pid").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            kill(pid, SIGTERM)
        }
        #expect(try waitForExit() == (signal == "INT" ? "EXIT=130" : "EXIT=143"))
        try expectTerminalRestored()
    }

    /// Issue 16, defect 2: a terminal without cursor addressing (TERM=dumb) used to get a blank
    /// screen with only the tab row; now it is refused in one line, exit 2, and so is an unknown
    /// TERM; the terminal is left as it was either way.
    @Test(arguments: [("dumb", "cannot move its cursor"), ("foobar", "cannot set up the terminal TERM=foobar")])
    func aTerminalThatCannotShowTheExplorerIsRefusedInOneLine(term: String, message: String) throws {
        try tmux.start(wrapper(term: term), width: 200, height: 30)
        defer { tmux.stop() }
        #expect(try waitForExit() == "EXIT=2")
        let screen = try tmux.waitFor("DONE")
        let lines = screen.split(separator: "\n").filter { $0.hasPrefix("marginal") }
        #expect(lines.count == 1 && lines[0].contains(message), "\(screen)")
        #expect(!screen.contains("1 Curves"), "\(screen)")
        let stty = try #require(file("stty.txt"))
        #expect(stty.contains(" icanon") && stty.contains(" echo ") && !stty.contains("-icanon"))
    }

    /// A teacher opens a prepared state, changes it, and the status line's new string (pasted
    /// into notes) opens that very view again (issue 12).
    @Test func aStateStringOpensItsViewAndTheStatusLineWritesTheNext() throws {
        try tmux.start(wrapper("tui --state 'curves:yhat=0.1,lambda=1,penalties=kl+db1,kl+l1'"), width: 120, height: 40)
        _ = try tmux.waitFor("values · kl+db1, kl+l1", "curves:penalties=kl+db1,kl+l1")
        try tmux.send("Up")
        let changed = try tmux.waitFor("target ŷ₁   0.150", "curves:yhat=0.15,penalties=kl+db1,kl+l1")
        let pasted = try #require(changed.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        #expect(pasted == "curves:yhat=0.15,penalties=kl+db1,kl+l1")
        try tmux.send("q")
        #expect(try waitForExit() == "EXIT=0")
        tmux.stop()

        try FileManager.default.removeItem(at: folder.appendingPathComponent("exit.txt"))
        let again = Tmux()  // a server of its own, not the one just ended
        try again.start(wrapper("tui --state '\(pasted)'"), width: 80, height: 24)
        defer { again.stop() }
        _ = try again.waitFor("target ŷ₁   0.150", "kl+db1, kl+l1")
        try again.send("q")
        #expect(try waitForExit() == "EXIT=0")

        let bad = try MarginalProcess.run(["tui", "--state", "toy:loss=nope"])
        #expect(bad.status == 2 && bad.standardError.contains("--state: loss=nope"), "\(bad.standardError)")
        #expect(bad.standardError.split(separator: "\n").count == 1)
    }

    @Test func unknownScreenIsRefusedInOneLine() throws {
        let unknown = try MarginalProcess.run(["tui", "--screen", "nope"])
        #expect(unknown.status == 2 && unknown.standardError.contains("unknown"))
        #expect(unknown.standardError.split(separator: "\n").count == 1)
        // Without a terminal it says so, instead of drawing into a pipe.
        let piped = try MarginalProcess.run([])
        #expect(piped.status == 2 && piped.standardError.contains("needs a terminal"))
    }
}

struct TmuxFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A private tmux server with one session.
struct Tmux {
    let socket = "marginal-test-\(UUID().uuidString.prefix(8))"
    let session = "explorer"

    static var isInstalled: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tmux command and waits for it (posix_spawn and waitpid: Foundation's `Process`
    /// does not always reap the client whose `new-session` forks the server). Output goes
    /// through a file, not a pipe, which the server would keep open for as long as it runs.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["tmux", "-u", "-L", socket] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        // The server must not inherit this thread's blocked signals (it would pass them on).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &cArguments, environ)
        guard spawned == 0 else { throw TmuxFailure("cannot run tmux (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out (Swift imports neither macro).
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw TmuxFailure("tmux \(arguments.joined(separator: " ")): \(text)")
        }
        return text
    }

    func start(_ command: String, width: Int, height: Int) throws {
        try run(["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", session, command])
    }

    func send(_ keys: String...) throws { try run(["send-keys", "-t", session] + keys) }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    func capture() throws -> String { try run(["capture-pane", "-p", "-t", session]) }

    /// Polls the screen every 5 ms until one capture shows every one of `texts` (`timeout`
    /// seconds at most). All in one call, never one here and the rest checked on the same capture:
    /// tmux can be captured halfway through drawing a frame, so a frame's first row may be there
    /// before its last.
    func waitFor(_ texts: String..., timeout: TimeInterval = 10) throws -> String {
        try waitFor(all: texts, timeout: timeout)
    }

    /// `waitFor` for a list of texts.
    func waitFor(all texts: [String], timeout: TimeInterval = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try capture()
            if texts.allSatisfy(last.contains) { return last }
            usleep(5_000)
        }
        let missing = texts.filter { !last.contains($0) }.map { "\"\($0)\"" }.joined(separator: ", ")
        throw TmuxFailure("the screen never showed \(missing); it shows:\n\(last)")
    }

    /// Waits for `texts`, then until two captures 50 ms apart agree: a still screen, drawn whole.
    func waitForStill(_ texts: String..., timeout: TimeInterval = 10) throws -> String {
        try waitForStill(all: texts, timeout: timeout)
    }

    /// `waitForStill` for a list of texts.
    func waitForStill(all texts: [String], timeout: TimeInterval = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try capture()
            if texts.allSatisfy(last.contains) {
                usleep(50_000)
                if try capture() == last { return last }
            }
            usleep(5_000)
        }
        throw TmuxFailure("the screen never settled on \(texts); it shows:\n\(last)")
    }

    func stop() { _ = try? run(["kill-server"]) }
}
