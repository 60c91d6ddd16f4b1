import Foundation
import MarginalCore

/// Work too long for a key press (the toy's comparison of every loss: tens of seconds), which
/// the loop runs off its thread (`World.start`) so that keys stay live. Its progress and its
/// outcome come back as `.computed` messages to every screen. The numbers are MarginalCore's:
/// a screen's `work` only calls it.
public struct Computation: Sendable, Equatable {
    /// Which one: a screen takes only the news of the computation it asked for.
    public let id: String
    /// The work: it reports its progress (0 to 1) and stops when the report answers false; nil
    /// when it failed or was stopped.
    let work: @Sendable (_ progress: @Sendable (Double) -> Bool) -> ComputedValue?

    public static func == (a: Computation, b: Computation) -> Bool { a.id == b.id }
}

/// What a computation came to.
public enum ComputedValue: Sendable, Equatable {
    case toyComparison(ToyComparison)
}

/// News of a computation: how far it is (0 to 1), or its outcome (nil: failed or stopped).
public enum ComputationNews: Sendable, Equatable {
    case progress(Double)
    case done(ComputedValue?)

    var isProgress: Bool { if case .progress = self { true } else { false } }
}

/// The computations running on threads of their own, and what they reported since the last
/// take: the real world's (`SystemWorld`). Progress is kept only the latest for each.
final class BackgroundComputations: @unchecked Sendable {
    private let lock = NSLock()
    private var running: Set<String> = []
    private var stopped: Set<String> = []
    private var news: [(id: String, news: ComputationNews)] = []

    var isEmpty: Bool { lock.withLock { running.isEmpty && news.isEmpty } }

    func start(_ computation: Computation) {
        let id = computation.id
        lock.withLock { _ = running.insert(id) }
        Thread.detachNewThread { [self] in
            let value = computation.work { fraction in
                self.lock.withLock {
                    news.removeAll { $0.id == id && $0.news.isProgress }
                    news.append((id, .progress(fraction)))
                    return !stopped.contains(id)
                }
            }
            lock.withLock {
                running.remove(id)
                stopped.remove(id)
                news.append((id, .done(value)))
            }
        }
    }

    func stop(_ id: String) { lock.withLock { if running.contains(id) { _ = stopped.insert(id) } } }

    func take() -> [Message] {
        lock.withLock {
            defer { news = [] }
            return news.map { .computed(id: $0.id, $0.news) }
        }
    }
}
