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
}
