import Foundation
import Testing
import TestSupport

/// `marginal runs stop` and `marginal runs resume` as a user runs them, on hand-written run
/// folders and a stand-in trainer; and the typed options' refusals.
@Suite final class RunsControlCommandTests {
    let folder: URL
    var runs: URL { folder.appendingPathComponent("runs") }
    init() throws { folder = try makeTemporaryFolder("runs-control") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    func marginal(_ arguments: [String]) throws -> MarginalProcess.Result { try MarginalProcess.run(arguments, in: folder) }

    func isOneLine(_ text: String) -> Bool { text.split(separator: "\n").count == 1 }

    @Test func stopEndsALiveTrainerThenRefuses() throws {
        let fixture = try RunFixture(runsFolder: runs, name: "live")
        let trainer = try TrainerStandIn(training: fixture, step: 5)
        let stop = try marginal(["runs", "stop", "live"])
        #expect(stop.status == 0, "\(stop.standardError)")
        #expect(stop.standardOutput.contains("runs/live: its trainer (pid \(trainer.pid)) has ended"), "\(stop.standardOutput)")
        #expect(kill(trainer.pid, 0) != 0 || waitpid(trainer.pid, nil, WNOHANG) == trainer.pid, "SIGINT ended the stand-in")

        let again = try marginal(["runs", "stop", "live"])
        #expect(again.status == 2 && isOneLine(again.standardError) && again.standardError.contains("not running"), "\(again.standardError)")
        try fixture.status("stopped", step: 5)
        let stopped = try marginal(["runs", "stop", "live", "--runs-dir", "runs"])
        #expect(stopped.status == 2 && stopped.standardError == "marginal runs stop: cannot stop live: it is stopped, not running\n")
        let unknown = try marginal(["runs", "stop", "nothing"])
        #expect(unknown.status == 2 && isOneLine(unknown.standardError) && unknown.standardError.contains("runs/nothing: no such run"))
    }

    @Test func stopWithoutWaitingSaysItAsked() throws {
        let fixture = try RunFixture(runsFolder: runs, name: "ask")
        // A stand-in that outlives the SIGINT would need another program; with --wait 0 the
        // command returns before looking, whatever the trainer does.
        let trainer = try TrainerStandIn(training: fixture, step: 5)
        let stop = try marginal(["runs", "stop", "ask", "--wait", "0"])
        #expect(stop.status == 0 && stop.standardOutput.contains("asked its trainer (pid \(trainer.pid)) to stop"), "\(stop.standardOutput)")
    }

    @Test func resumeIsRefusedWhileRunningAndLaunchesOtherwise() throws {
        let fixture = try RunFixture(runsFolder: runs, name: "again")
        let trainer = try TrainerStandIn(training: fixture, step: 5)
        let refused = try marginal(["runs", "resume", "again"])
        #expect(refused.status == 2 && refused.standardError == "marginal runs resume: cannot resume again: it is running (pid \(trainer.pid)); stop it first\n")
        trainer.end()
        let noCheckpoint = try marginal(["runs", "resume", "again"])
        #expect(noCheckpoint.status == 2 && isOneLine(noCheckpoint.standardError) && noCheckpoint.standardError.contains("no checkpoint"))

        try fixture.status("stopped", step: 5)
        try Data("{}".utf8).write(to: fixture.folder.appendingPathComponent("checkpoint.json"))
        let resumed = try marginal(["runs", "resume", "again"])
        #expect(resumed.status == 0, "\(resumed.standardError)")
        #expect(resumed.standardOutput.contains("train --run again --resume --runs-dir runs"), "\(resumed.standardOutput)")
        #expect(resumed.standardOutput.contains("log: ") && resumed.standardOutput.contains("runs/.logs/again.log"))
        // The launched trainer finds the hand-written checkpoint wanting and says so in its log.
        let log = runs.appendingPathComponent(".logs/again.log").path
        let deadline = Date().addingTimeInterval(20)
        while (try? String(contentsOfFile: log, encoding: .utf8))?.contains("marginal train:") != true && Date() < deadline { usleep(50_000) }
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("marginal train:"))

        let unknown = try marginal(["runs", "resume", "nothing"])
        #expect(unknown.status == 2 && isOneLine(unknown.standardError) && unknown.standardError.contains("no such run"))
    }

    /// The typed options refuse other values before anything runs, with one line naming the
    /// choices, and --help lists them.
    @Test(arguments: [
        (["train", "--loss", "dice2"], "ce_l1"), (["train", "--dataset", "mnist"], "folder:PATH"),
        (["train", "--optimizer", "rmsprop"], "sgd"), (["toy", "--loss", "nope"], "log_dice"),
        (["toy", "--scenario", "big"], "organ-tumour"),
    ])
    func badValuesNameTheChoices(_ arguments: [String], _ choice: String) throws {
        let result = try marginal(arguments)
        #expect(result.status == 2 && isOneLine(result.standardError), "\(result.standardError)")
        #expect(result.standardError.contains(arguments[2]) && result.standardError.contains(choice), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: runs.path), "nothing written")
    }

    @Test func helpListsTheChoices() throws {
        // The help wraps to the terminal's width: compared with its spaces and line breaks folded.
        let help = try marginal(["train", "--help"]).standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["values: lesions, organ, street, fashion, folder:PATH", "values: adam, sgd", "ce_kl", "marginal runs stop NAME"] {
            #expect(help.contains(text), "\(text)")
        }
        let runsHelp = try marginal(["runs", "--help"]).standardOutput
        #expect(runsHelp.contains("stop") && runsHelp.contains("resume"))
    }
}
