import MarginalCore
import MarginalRuns
import TerminalUI
import MarginalFigure

extension RunsScreen {
    public func render(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        switch mode {
        case .list: renderList(in: area, into: &buffer, theme: theme)
        case .form: renderForm(in: area, into: &buffer, theme: theme)
        case .monitor:
            if let run = selectedRun { renderMonitor(run, in: area, into: &buffer, theme: theme) }
        case .compare: renderComparison(in: area, into: &buffer, theme: theme)
        }
    }

    /// The colour of a run's state in the list and the monitor.
    static func color(of state: RunState) -> TerminalColor {
        switch state {
        case .running: Palette.green.terminal
        case .done: Palette.blue.terminal
        case .stopped: Palette.yellow.terminal
        case .failed: Palette.vermillion.terminal
        }
    }

    /// "340/500 ███░░░" — a run's step against its total, as a bar `width` cells long.
    static func progressBar(step: Int, of steps: Int, width: Int, theme: Theme) -> String {
        let fraction = steps > 0 ? min(1, max(0, Double(step) / Double(steps))) : 0
        let filled = Int((fraction * Double(width)).rounded(.down))
        return String(repeating: theme.fullBlock, count: filled) + String(repeating: theme.shade(0.25), count: width - filled)
    }

    /// The list's table in a content area `height` rows high: its rows (header included), the
    /// first run shown and how many, scrolled so that the selected run is visible.
    func listWindow(height: Int) -> (tableHeight: Int, first: Int, visible: Int) {
        let count = listRows.count
        let tableHeight = min(count + 1, max(2, height - 6))
        let visible = tableHeight - 1
        let first = min(max(0, (selectedIndex ?? -1) - visible + 1), max(0, count - visible))
        return (tableHeight, first, visible)
    }

    /// The list's rows start under the title, a blank line and the table's header; the form's
    /// fields under its title and a blank line.
    static let listFirstRow = 3, formFirstRow = 2

    func renderList(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let running = runs.filter { $0.state == .running }.count
        let listed = listed
        let title = loaded ? "Runs in \(runsFolder)/ · \(runs.count) run\(runs.count == 1 ? "" : "s") · \(running) running"
            : "Runs in \(runsFolder)/ · reading…"
        var x = area.x + buffer.write(title, x: area.x, y: area.y, .bold, limit: area.width)
        // The filter and the order, when they are not the plain list.
        var settings: [String] = []
        if typingFilter || !filter.isEmpty { settings.append("filter /\(filter)\(typingFilter ? "▏" : "")/ · \(listed.count) shown") }
        if sort != .name { settings.append("sorted by \(sort.label)") }
        if !settings.isEmpty { x += buffer.write("  · " + settings.joined(separator: " · "), x: x, y: area.y, .dim, limit: area.maxX - x) }
        guard !runs.isEmpty else {
            var panel = Panel(area.droppingTop(2).inset(horizontal: 1))
            guard loaded else {
                panel.paragraph("Reading the runs in \(runsFolder)/ (long metrics files take a moment the first time); keys work meanwhile.", .dim, into: &buffer)
                return
            }
            panel.paragraph("No runs here yet. Press n to launch one from a form, or start one from a shell — it shows up here within a second:", .plain, into: &buffer)
            panel.gap()
            panel.line("  marginal train --dataset lesions --loss ce_l1 --steps 500 --runs-dir \(runsFolder)", .bold, into: &buffer)
            panel.gap()
            panel.paragraph("Then watch its per-class IoU and its predicted proportions p̂ against ŷ (Enter), and compare runs in the layout of the paper's Table 4 (c).", into: &buffer)
            if let lastCommand { panel.gap(); panel.paragraph("last launch: " + lastCommand, into: &buffer) }
            return
        }
        let header = ["", "name", "status", "dataset", "loss", "λ", "τ", "step", "", "mIoU", "best"]
        let listRows = listRows
        let rows = listRows.map { row -> [String] in
            let run = row.run, c = run.configuration
            let lambda = run.lambda.map(exactNumber) ?? "–", tau = c.loss.usesTemperature ? exactNumber(c.tau) : "–"
            if let group = row.group {
                // A group of seeds: its stem, its seeds' states, their total progress, mean ± std of their mIoU.
                let unfolded = unfoldedGroups.contains(group.runs[0].name)
                let allMarked = group.runs.allSatisfy { marked.contains($0.name) }, someMarked = group.runs.contains { marked.contains($0.name) }
                let step = group.runs.map(\.step).reduce(0, +), steps = group.runs.map(\.configuration.steps).reduce(0, +)
                let best = group.runs.compactMap(\.bestMIoU).max()
                return [allMarked ? "●" : someMarked ? "◐" : " ", (unfolded ? "▾ " : "▸ ") + RunPlot.groupName(group.runs),
                        Self.seedSummary(group) + (group.runs.contains { $0.collapse != nil } ? (theme.unicode ? " ⚠" : " !") : ""),
                        c.dataset.description, c.loss.rawValue, lambda, tau,
                        "\(step)/\(steps)", Self.progressBar(step: step, of: steps, width: 8, theme: theme),
                        Self.meanAndSpread(group), percent(best)]
            }
            return [marked.contains(run.name) ? "●" : " ", (row.isMember ? "  " : "") + run.name,
                    run.state.rawValue + (run.collapse == nil ? "" : theme.unicode ? " ⚠" : " !"),
                    run.datasetLabel, run.lossLabel, lambda, tau,
                    "\(run.step)/\(c.steps)", Self.progressBar(step: run.step, of: c.steps, width: 8, theme: theme),
                    percent(run.latest?.miou), percent(run.bestMIoU)]
        }
        let (tableHeight, first, visible) = listWindow(height: area.height)
        let selected = selectedIndex ?? -1  // none while a launched run has not appeared yet
        let shown = Array(rows[first ..< min(rows.count, first + visible)])
        let table = TableView(header: header, rows: shown, alignments: [.left, .left, .left, .left, .left, .right, .right, .right, .left, .right, .right],
                              highlighted: [selected - first], spacing: 2)
        let tableArea = Rect(x: area.x, y: area.y + 2, width: area.width, height: tableHeight)
        table.render(in: tableArea, into: &buffer, theme: theme)
        if theme.hasColor {
            let widths = table.columnWidths()
            let statusX = tableArea.x + widths[0] + widths[1] + 2 * table.spacing
            for (offset, row) in listRows[first ..< min(listRows.count, first + visible)].enumerated() where offset != selected - first {
                let state = row.group.map(Self.groupState) ?? row.run.state
                buffer.restyle(Rect(x: statusX, y: tableArea.y + 1 + offset, width: widths[2], height: 1), Style(foreground: Self.color(of: state)))
            }
        }
        var panel = Panel(Rect(x: area.x, y: tableArea.maxY + 1, width: area.width, height: area.maxY - tableArea.maxY - 1))
        if listed.isEmpty { panel.line("no run matches the filter /\(filter)/ (Esc clears it)", .dim, into: &buffer) }
        if let group = selectedGroup {
            panel.paragraph("\(RunPlot.groupName(group.runs)): one configuration, seeds "
                            + group.runs.map { "\($0.configuration.seed)" }.joined(separator: ", ")
                            + " · mIoU mean ± std over the seeds' latest evaluations · Enter: their mean with a min–max band · g unfolds · space marks all",
                            .dim, into: &buffer)
        } else if let run = selectedRun {
            if stopping.contains(run.name) {
                panel.paragraph("stopping \(run.name): it finishes its step and saves…", Style(foreground: theme.color(Palette.yellow.terminal)), into: &buffer)
            }
            if let note = run.collapseNote { panel.paragraph("\(run.name): " + note, Style(foreground: theme.color(Palette.orange.terminal)), into: &buffer) }
            if let note = run.tensorBoard?.notes.last { panel.paragraph("\(run.name): " + note, Style(foreground: theme.color(Palette.orange.terminal)), into: &buffer) }
            if let failure = run.failure { panel.paragraph("\(run.name) failed: \(failure)", Style(foreground: theme.color(Palette.vermillion.terminal)), into: &buffer) }
            if run.state == .stopped {
                panel.paragraph("\(run.name) stopped at step \(run.step): R resumes it here, or from a shell: "
                                + shellCommand(["marginal", "train", "--run", run.name, "--resume", "--runs-dir", runsFolder]), .dim, into: &buffer)
            }
        }
        if let lastCommand { panel.paragraph("last launch: " + lastCommand, .dim, into: &buffer) }
        if !marked.isEmpty { panel.line("\(marked.count) marked for the comparison (c)", .dim, into: &buffer) }
    }

    func renderForm(in area: Rect, into buffer: inout Buffer, theme: Theme) {
        let parts = area.columns([.fixed(min(56, area.width / 2)), .fixed(2), .fill])
        var panel = Panel(parts[0])
        panel.line("New run · marginal train in the background", .bold, into: &buffer)
        panel.gap()
        let taken = takenNames
        for field in LaunchForm.Field.allCases {
            panel.field(field.label, form.value(field, taken: taken), selected: form.field == field, labelWidth: 14, into: &buffer)
        }
        panel.gap()
        if let problem = form.problem(taken: taken) {
            panel.line(problem, Style(foreground: theme.color(Palette.vermillion.terminal)), into: &buffer)
        } else {
            panel.line("Enter launches · Esc cancels", .dim, into: &buffer)
        }
        var side = Panel(parts[2])
        side.line("The command it runs (rerun it from a shell):", .dim, into: &buffer)
        side.gap()
        let arguments = form.arguments(name: form.name(taken: taken), runsFolder: runsFolder)
        side.paragraph(shellCommand(["marginal"] + arguments), .plain, into: &buffer)
        side.gap()
        side.paragraph(Self.explanation(of: form.field, form: form), into: &buffer)
    }

    /// What a form field means, under the command.
    static func explanation(of field: LaunchForm.Field, form: LaunchForm) -> String {
        switch field {
        case .dataset:
            "\(form.dataset): \(form.entry?.summary ?? "a dataset folder")."
                + " ←/→: " + LaunchForm.datasets.map(\.description).joined(separator: ", ") + "."
        case .loss: "ce_l1 and ce_kl are the paper's fix (CE + λ·R(ŷ, p̂)); dice and its relatives carry the DB bias; ce hides a KL pull towards ŷ."
        case .lambda: "λ weighs the regulariser; 'default' is the loss's own (1 for ce_l1, 0.1 for the other composites)."
        case .tau: "τ sharpens the softmax that measures p̂ in R (the paper uses 10)."
        case .steps: "Training steps of one batch each."
        case .evalEvery: "The validation split is measured (IoU, proportions, a preview) every this many steps: what the monitor plots."
        case .batch: "Images per step."
        case .learningRate: "Adam's halves after 5 evaluations without a better validation loss; SGD's decays polynomially."
        case .optimizer: "adam, or sgd with momentum 0.9 and weight decay 1e-4 (the paper's Cityscapes setting)."
        case .engine: "marginal trains on this CPU; PyTorch runs python/examples/train_unet.py under torchrun (the same UNet-S and losses, DDP), "
            + "the dataset exported as PNGs under the runs folder. Either run is listed, monitored, stopped (s) and compared here."
        case .processes: "torchrun's processes (--nproc-per-node) for the PyTorch engine; the batch is split over them, so it is a multiple of this."
        case .seed: "Seeds the data, the initialisation and the batch order. Type several joined by commas (1,2,3) for a group: one run a seed, "
            + "one after the other (marginal train --seeds); the list folds them into one row, their mean drawn with a min–max band."
        case .name: "The run's folder under the runs folder; type to change it, Backspace to delete (empty: automatic)."
        }
    }
}
