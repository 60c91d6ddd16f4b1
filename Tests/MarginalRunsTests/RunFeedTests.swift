import Foundation
import Testing
import TestSupport
import MarginalRuns

/// The feed reads the runs folder on its own thread only while watching, answers at once when
/// watching begins, and keeps the newest change for `take`.
@Suite struct RunFeedTests {
    @Test func feedReadsOnlyWhileWatching() throws {
        let runs = try makeTemporaryFolder("run-feed")
        let feed = RunFeed(folder: runs, interval: 0.05)
        defer { feed.end() }
        #expect(feed.take(waitingUpTo: 0.3) == nil, "not watching: no look at the folder")
        feed.watching = true
        #expect(feed.take(waitingUpTo: 5) == [], "the first look answers, even with no runs")
        _ = try RunFixture(runsFolder: runs, name: "a")
        #expect(feed.take(waitingUpTo: 5)?.map(\.name) == ["a"])
        #expect(feed.take(waitingUpTo: 0.3) == nil, "nothing changed since")
        feed.watching = false
        usleep(200_000)  // a look begun before watching ended has finished by now
        _ = feed.take()
        _ = try RunFixture(runsFolder: runs, name: "b")
        #expect(feed.take(waitingUpTo: 0.3) == nil, "not watching")
        feed.watching = true
        #expect(feed.take(waitingUpTo: 5)?.map(\.name) == ["a", "b"])
    }
}
