import Foundation
import Testing
import TestSupport
@testable import MarginalRuns

/// The launcher on a stand-in program (`/bin/sh -c …`): a session of its own, output in the
/// run's log, its end collected, and the failures named.
@Suite struct LauncherTests {
    func wait(for pid: Int32, _ request: LaunchRequest) -> ChildExit {
        let deadline = Date().addingTimeInterval(10)
        var exit = ChildExit.running
        while exit == .running && Date() < deadline {
            usleep(10_000)
            exit = reapLaunched(pid: pid, request: request)
        }
        return exit
    }

    @Test func childRunsDetachedAndItsEndIsCollected() throws {
        let folder = try makeTemporaryFolder("launch")
        let runs = folder.appendingPathComponent("runs").path
        let request = LaunchRequest(name: "sleeper", arguments: ["-c", "echo started; sleep 1; echo 'bad --lr: no'; exit 2"], runsFolder: runs)
        let child = try launchDetached(request, executable: "/bin/sh").get()
        #expect(getsid(child.pid) == child.pid, "the child leads a session of its own, away from the terminal")
        #expect(child.command == "/bin/sh -c 'echo started; sleep 1; echo '\\''bad --lr: no'\\''; exit 2'")
        #expect(wait(for: child.pid, request) == .failed("sleeper ended with an error: bad --lr: no"))
        let log = try String(contentsOfFile: runs + "/.logs/sleeper.log", encoding: .utf8)
        #expect(log == "started\nbad --lr: no\n")

        let fine = LaunchRequest(name: "fine", arguments: ["-c", "exit 0"], runsFolder: runs)
        let second = try launchDetached(fine, executable: "/bin/sh").get()
        #expect(wait(for: second.pid, fine) == .succeeded)
    }

    @Test func failuresAreNamed() throws {
        let folder = try makeTemporaryFolder("launch")
        let file = folder.appendingPathComponent("not-a-folder")
        try Data().write(to: file)
        let blocked = launchDetached(LaunchRequest(name: "x", arguments: [], runsFolder: file.path), executable: "/bin/sh")
        guard case .failure(let reason) = blocked else { Issue.record("a runs folder that is a file"); return }
        #expect(reason.reason.contains("cannot launch x") && reason.reason.contains(".logs"))
        let missing = launchDetached(LaunchRequest(name: "y", arguments: [], runsFolder: folder.path), executable: "/nonexistent/marginal")
        guard case .failure(let why) = missing else { Issue.record("a missing program"); return }
        #expect(why.reason.contains("/nonexistent/marginal"))
    }

    /// `RunControl.launch` starts a stand-in program detached and names its log.
    @Test func launchOfAStandInProgram() throws {
        let folder = try makeTemporaryFolder("control")
        let runs = folder.appendingPathComponent("runs").path
        let request = LaunchRequest(name: "echo", arguments: ["-c", "echo hello"], runsFolder: runs)
        let child = try RunControl.launch(request, executable: "/bin/sh")
        #expect(child.log.path == runs + "/.logs/echo.log" && child.command == "/bin/sh -c 'echo hello'")
        #expect(wait(for: child.pid, request) == .succeeded)
        #expect(try String(contentsOf: child.log, encoding: .utf8) == "hello\n")
        #expect(throws: RunControlError.cannotLaunch(name: "echo", reason: "/nonexistent: No such file or directory")) {
            try RunControl.launch(request, executable: "/nonexistent")
        }
    }

    @Test func stopOfALiveTrainerAndOfAnEndedRun() throws {
        let runs = try makeTemporaryFolder("control")
        let fixture = try RunFixture(runsFolder: runs, name: "live")
        let trainer = try TrainerStandIn(training: fixture, step: 5)
        let run = try RunControl.existingRun("live", in: runs)
        #expect(RunControl.trainerPID(of: run) == trainer.pid)
        #expect(throws: RunControlError.trainerEnded(name: "live")) { try RunControl.stop(run, expecting: trainer.pid + 1) }
        #expect(try RunControl.stop(run) == trainer.pid)
        #expect(RunControl.waitForEnd(of: run, pid: trainer.pid, timeout: 10), "SIGINT ends the stand-in, and its lock goes with it")
        #expect(RunControl.trainerPID(of: run) == nil)
        // Now nothing is signalled: one line saying so.
        #expect(throws: RunControlError.notRunning(name: "live", state: .running)) { try RunControl.stop(run) }
        #expect(throws: RunControlError.trainerEnded(name: "live")) { try RunControl.stop(run, expecting: trainer.pid) }
        try fixture.status("done", step: 100)
        do { try RunControl.stop(run); Issue.record("a done run was stopped") } catch {
            #expect(error.description == "cannot stop live: it is done, not running" && !error.description.contains("\n"))
        }
        #expect(throws: RunControlError.noSuchRun(name: "gone", folder: runs.path)) { try RunControl.existingRun("gone", in: runs) }
    }

    @Test func resumeIsRefusedWhileRunningDoneOrWithoutACheckpoint() throws {
        let runs = try makeTemporaryFolder("control")
        let fixture = try RunFixture(runsFolder: runs, name: "r")
        let run = try RunControl.existingRun("r", in: runs)
        let trainer = try TrainerStandIn(training: fixture, step: 5)
        #expect(throws: RunControlError.alreadyRunning(name: "r", pid: trainer.pid)) {
            try RunControl.resumeRequest(for: run, runsFolder: runs.path)
        }
        trainer.end()
        #expect(throws: RunControlError.cannotResume(name: "r", reason: "it has no checkpoint yet")) {
            try RunControl.resumeRequest(for: run, runsFolder: runs.path)
        }
        try Data("{}".utf8).write(to: run.file(.checkpointInfo))
        #expect(try RunControl.resumeRequest(for: run, runsFolder: runs.path) == LaunchRequest(
            name: "r", arguments: ["train", "--run", "r", "--resume", "--runs-dir", runs.path], runsFolder: runs.path))
        try fixture.status("done", step: 100)
        #expect(throws: RunControlError.cannotResume(name: "r", reason: "it is done; extend it with --steps N (a new total)")) {
            try RunControl.resumeRequest(for: run, runsFolder: runs.path)
        }
        #expect(try RunControl.resumeRequest(for: run, runsFolder: runs.path, steps: 200) == LaunchRequest(
            name: "r", arguments: ["train", "--run", "r", "--resume", "--steps", "200", "--runs-dir", runs.path], runsFolder: runs.path))
    }
}

/// A run of the PyTorch engine (status.json with "engine" and "process_group", as
/// python/examples/train_unet.py writes it): a stop signals the process group, not the pid, and
/// marginal refuses to resume it.
@Suite struct PyTorchRunControlTests {
    @Test func aStopSignalsTheRunsProcessGroupAndAResumeIsRefused() throws {
        let runs = try makeTemporaryFolder("control-torch")
        let fixture = try RunFixture(runsFolder: runs, name: "ddp")
        let launcher = try TrainerStandIn(training: fixture, step: 3)  // holds the lock, as rank 0 does
        // A "rank" in a process group of its own, as torchrun starts its workers.
        let rank = try spawnProcessGroup("/bin/sleep", arguments: ["600"], environment: [:], name: "ddp").get()
        defer { kill(rank, SIGKILL); var status: Int32 = 0; waitpid(rank, &status, 0) }
        try Data("{\"engine\": \"pytorch\", \"pid\": \(launcher.pid), \"process_group\": \(rank), \"status\": \"running\", \"step\": 3}\n".utf8)
            .write(to: fixture.folder.appendingPathComponent("status.json"))
        #expect(getpgid(rank) == rank, "the rank leads its own group")
        let run = try RunControl.existingRun("ddp", in: runs)
        #expect(try RunControl.stop(run, expecting: launcher.pid) == launcher.pid)
        var status: Int32 = 0
        #expect(waitpid(rank, &status, 0) == rank && status & 0x7f == SIGINT, "the group got SIGINT")
        #expect(kill(launcher.pid, 0) == 0, "the pid itself was not signalled")
        launcher.end()

        // config.json says which engine trained it: marginal does not resume it, in one line.
        let url = fixture.folder.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        config["engine"] = "pytorch"
        config["processes"] = 2
        try JSONSerialization.data(withJSONObject: config).write(to: url)
        try Data("{\"status\": \"stopped\", \"step\": 3}\n".utf8).write(to: fixture.folder.appendingPathComponent("status.json"))
        try Data("{}".utf8).write(to: run.file(.checkpointInfo))
        do {
            _ = try RunControl.resumeRequest(for: run, runsFolder: runs.path)
            Issue.record("a PyTorch run was resumed")
        } catch {
            #expect(error.description.hasPrefix("cannot resume ddp: it was trained by pytorch") && !error.description.contains("\n"), "\(error)")
        }
        let stored = try run.read(RunConfiguration.self, from: .configuration)
        #expect(stored.engine == "pytorch" && stored.processes == 2)
    }
}
