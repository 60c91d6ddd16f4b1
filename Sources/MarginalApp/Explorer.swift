import TerminalUI

/// The explorer's loop: wait for an event (without using the CPU while nothing happens),
/// `update`, perform the effects through `world`, `render` into a buffer, show it; until an
/// effect says quit. Returns the last state (for tests).
///
/// While the current screen watches runs (`Screen.watchesRuns`) the world's runs feed reads
/// the runs folder on a thread of its own, the wait ends every `tickInterval` ms to take what it
/// found, and the screen is drawn again only when something changed. When such a screen opens
/// before the feed has delivered anything, the feed's first look is waited for (once, half a
/// second at most), so that the screen opens with its runs. Launched runs that ended with an
/// error are reported (and collected) on those ticks.
///
/// The caller restores the terminal (`terminal.end()`, in a `defer`).
@discardableResult
public func runExplorer(_ state: AppState, terminal: some Terminal, world: some World) -> AppState {
    var state = state
    var runsDelivered = false

    /// The end of launched children, and new runs while they are watched.
    func pollRuns() -> [Message] {
        var messages: [Message] = world.reapLaunched().map { .launchFailed(name: $0.name, reason: $0.reason) }
        if state.current.watchesRuns, let runs = world.takeRuns(waitingUpTo: 0) {
            runsDelivered = true
            messages.append(.runsChanged(runs))
        }
        return messages
    }
    func followRuns() {
        let watches = state.current.watchesRuns
        let opening = watches && !world.watchingRuns
        world.watchingRuns = watches
        guard opening, !runsDelivered, let runs = world.takeRuns(waitingUpTo: 0.5) else { return }
        runsDelivered = true
        _ = update(&state, .runsChanged(runs))
    }
    func draw() {
        var buffer = Buffer(width: state.width, height: state.height)
        render(state, into: &buffer)
        terminal.draw(buffer)
    }

    followRuns()
    draw()
    var nextTick: UInt64?
    while true {
        let now = world.now()
        if let interval = state.tickInterval ?? (world.computing ? AppState.computationPollInterval : nil) {
            if nextTick == nil { nextTick = now + UInt64(interval) * 1_000_000 }
        } else {
            nextTick = nil
        }
        let timeout = nextTick.map { Int(($0 > now ? $0 - now : 0) / 1_000_000) }
        var pending: [Message] = []
        switch terminal.nextEvent(timeout: timeout) {
        case nil:
            guard nextTick != nil else { continue }
            nextTick = nil
            if state.current.watchesRuns {
                pending = pollRuns() + world.takeComputed()
                guard !pending.isEmpty else { continue }  // nothing changed: no drawing either
            } else {
                pending = (state.current.tickInterval == nil ? [] : [.tick]) + world.takeComputed()
                guard !pending.isEmpty else { continue }
            }
        case .key(let key): pending = [.key(key)]
        case .mouse(let event): pending = [.mouse(event)]
        case .resize(let width, let height): pending = [.resize(width: width, height: height)]
        }
        while !pending.isEmpty {
            for effect in update(&state, pending.removeFirst()) {
                if case .export = effect { draw() }  // show "exporting…" while the files are written
                guard let outcome = perform(effect, world: world) else { return state }
                pending += outcome
            }
        }
        followRuns()
        draw()
    }
}

/// Performs one effect: the messages its outcome sends back to `update`; nil to quit.
func perform(_ effect: Effect, world: some World) -> [Message]? {
    switch effect {
    case .quit:
        return nil
    case .export(let request):
        return [.exported(world.write(request))]
    case .launch(let request):
        switch world.launch(request) {
        case .success(let command): return [.launched(name: request.name, command: command)]
        case .failure(let failure): return [.launchFailed(name: request.name, reason: failure.reason)]
        }
    case .compute(let computation):
        world.start(computation)
        return []
    case .stopComputing(let id):
        world.stopComputing(id)
        return []
    case .stop(let name, let pid):
        // Only while the run's trainer, read afresh, is still this pid: once the trainer has
        // ended, its pid may name another process (and a resume, another trainer).
        if let refusal = world.stop(run: name, expecting: pid) { return [.effectFailed(refusal.description)] }
        return []
    }
}
