import Foundation
import Testing
import MarginalCore
import TerminalUI
@testable import MarginalApp

/// The Toy screen's comparison of every loss runs off the loop's thread (issue 12): `c` asks
/// for a computation, the keys stay live while it runs, its progress shows, its table arrives
/// as a message; a second `c` or a new loss stops it.
@Suite struct ComputationTests {
    /// A comparison of every loss at one step, as the screen's would be at 300.
    static func smallComparison(_ toy: ToyScreen) throws -> ToyComparison {
        try ToyComparison(image: toy.run.image, steps: 1, lambda: nil, temperature: toy.tau, optimizer: .adam,
                          learningRate: ToyRun.defaultLearningRate)
    }

    @Test func theLoopTakesKeysWhileTheComparisonRunsAndShowsItsProgressThenItsTable() throws {
        let world = FakeWorld()
        let state = AppState(screen: .toy, width: 120, height: 40)
        let table = try Self.smallComparison(state.toy)
        world.computationNews = [.progress(0.25), .progress(0.5), .done(.toyComparison(table))]
        // c, a wait (the 25 % news), ? twice (the help opens and closes while the comparison
        // runs), two more waits (50 %, the table).
        let terminal = RecordingTerminal(width: 120, height: 40, theme: state.theme,
                                         script: [.key(.character("c")), nil, .key(.character("?")), .key(.character("?")), nil, nil])
        let last = runExplorer(state, terminal: terminal, world: world)
        #expect(world.computations.count == 1 && world.stoppedComputations.isEmpty)
        #expect(terminal.timeouts.prefix(3) == [nil, 100, 100], "the loop wakes to take the comparison's news")
        #expect(terminal.frames[1].text().contains("comparing every loss: 0 % (c stops)"))
        #expect(terminal.frames[2].text().contains("comparing every loss: 25 %"))
        #expect(terminal.frames[3].text().contains("Toy — keys"), "the help opens while the comparison runs")
        #expect(terminal.frames[5].text().contains("comparing every loss: 50 %"))
        #expect(last.toy.comparison == table && last.toy.comparing == nil)
        #expect(try #require(terminal.lastFrame).text().contains("every loss, 1 steps on this toy"))
    }

    /// The progress line takes a row of the panel, never Prop. 2's.
    @Test func propositionTwoStaysWholeWhileComparing() {
        for (width, height) in [(60, 16), (80, 24), (120, 40)] {
            var state = AppState(screen: .toy, width: width, height: height)
            _ = send(&state, keys("c"))
            #expect(state.toy.comparing != nil && screen(state).text().contains(width >= 120 ? "comparing every loss: 0 % (c stops)" : "comparing: 0 % (c stops)"),
                    "\(width)x\(height)")
            IdentityTests.checkWhole(state, "comparing at \(width)x\(height)")
        }
    }

    @Test func aSecondCOrANewLossStopsTheComparisonAndItsOutcomeIsIgnored() throws {
        var toy = ToyScreen()
        let asked = toy.handle(.character("c"))
        guard case .compute(let first)? = asked.effects.first else { Issue.record("no computation: \(asked)"); return }
        #expect(toy.handle(.character("c")).effects == [.stopComputing(id: first.id)])
        toy.receive(.computed(id: first.id, .done(.toyComparison(try Self.smallComparison(toy)))))
        #expect(toy.comparison == nil, "a stopped comparison's table does not show")

        guard case .compute(let second)? = toy.handle(.character("c")).effects.first else { Issue.record("no computation"); return }
        #expect(second.id != first.id)
        #expect(toy.handle(.character("l")).effects == [.stopComputing(id: second.id)])
        #expect(toy.comparing == nil)
    }

    /// The screen's work is MarginalCore's comparison at the CLI's steps: it reports its
    /// progress as it trains, and stops when told.
    @Test func theWorkReportsProgressAndStops() throws {
        var toy = ToyScreen()
        guard case .compute(let computation)? = toy.handle(.character("c")).effects.first else { Issue.record("no computation"); return }
        final class Heard: @unchecked Sendable { var fractions: [Double] = [] }
        let heard = Heard()
        let value = computation.work { fraction in
            heard.fractions.append(fraction)
            return heard.fractions.count < 3
        }
        #expect(value == nil, "stopped at the third report")
        let losses = Double(LossName.available(classes: 2).count)
        #expect(heard.fractions == [10, 20, 30].map { $0 / (losses * Double(ToyComparison.defaultSteps)) })
    }

    /// The real world's computations run on a thread of their own; their news are taken.
    @Test func backgroundComputationsRunOffTheCallersThread() throws {
        let computations = BackgroundComputations()
        let caller = pthread_self()
        final class Seen: @unchecked Sendable { var elsewhere = false }
        let seen = Seen()
        computations.start(Computation(id: "x") { progress in
            seen.elsewhere = pthread_equal(pthread_self(), caller) == 0
            _ = progress(1)
            return nil
        })
        var news: [Message] = []
        let deadline = Date().addingTimeInterval(10)
        while !news.contains(.computed(id: "x", .done(nil))), Date() < deadline {
            news += computations.take()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(news == [.computed(id: "x", .progress(1)), .computed(id: "x", .done(nil))])
        #expect(seen.elsewhere && computations.isEmpty)
    }
}
