import CNcurses
import Foundation
import TerminalUI

/// Why the terminal could not be set up.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

/// The terminal, through ncursesw: set up, read keys, mouse and resizes, show a `Buffer`,
/// restore. The only code in marginal that touches curses; everything it shows was drawn by
/// widgets into a `Buffer` first.
///
/// The terminal is restored by `end()` (call it on every path: `defer`), and by a signal
/// handler on SIGINT, SIGTERM, SIGHUP and the crash signals (see `marginal_restore_on_signal`).
public final class CursesTerminal: Terminal {
    /// What this terminal can show: colours (256, 16 or none when `NO_COLOR` is set) and
    /// whether the locale is UTF-8.
    public let theme: Theme
    public private(set) var width: Int
    public private(set) var height: Int
    private var shown: Buffer?
    private var pairs: [PairKey: Int32] = [:]
    private var buttonDown = false
    /// Set when the colour pairs were reset mid-frame: the next frame repaints every cell.
    private var repaint = false
    private var ended = false

    private struct PairKey: Hashable { let foreground: Int32; let background: Int32 }

    /// Takes over the terminal. `environment` decides the colours: `NO_COLOR` (any non-empty
    /// value) turns them off, `MARGINAL_COLORS=16|256|mono` forces a depth.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError(description: "the explorer needs a terminal, and standard input or output is not one (for files, use marginal curves, simplex or softmax)")
        }
        // Without this ncursesw treats every byte as Latin-1 and braille comes out blank.
        setlocale(LC_ALL, "")
        let unicode = marginal_locale_is_utf8() != 0
        // newterm, unlike initscr, returns NULL rather than exiting when TERM is unknown.
        guard let screen = marginal_newterm() else {
            let term = environment["TERM"] ?? "(unset)"
            throw TerminalError(description: "cannot set up the terminal TERM=\(term); try TERM=xterm-256color")
        }
        // A terminal that cannot address its cursor (TERM=dumb, a printing terminal) would show
        // only a blank screen: refuse it in one line, the terminal given back as it was.
        guard marginal_has_cursor_addressing() != 0 else {
            marginal_discard_screen(screen)
            let term = environment["TERM"] ?? "(unset)"
            throw TerminalError(description: "the terminal TERM=\(term) cannot move its cursor, which the explorer needs; try TERM=xterm-256color (for files, use marginal curves, simplex or softmax)")
        }
        marginal_install_signal_handlers()
        cbreak()
        noecho()
        nonl()
        keypad(marginal_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        mouseinterval(0)
        mousemask(marginal_mouse_mask(), nil)

        var depth: ColorDepth = .monochrome
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            depth = marginal_colors() >= 256 ? .extended : .basic
        }
        switch environment["MARGINAL_COLORS"] {
        case "mono", "none": depth = .monochrome
        case "16" where has_colors(): depth = .basic
        default: break
        }
        theme = Theme(colors: depth, unicode: unicode)
        width = Int(marginal_cols())
        height = Int(marginal_lines())
    }

    deinit { end() }

    /// Gives the terminal back as it was (idempotent).
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        marginal_reset_signal_handlers()
    }

    /// Shows `buffer`: writes the cells that changed since the last frame into curses' screen,
    /// then one `doupdate`, which sends only the difference to the terminal.
    public func draw(_ buffer: Buffer) {
        let frame = theme.unicode ? buffer : buffer.asciiOnly()
        let previous = repaint ? nil : shown.flatMap { $0.width == frame.width && $0.height == frame.height ? $0 : nil }
        repaint = false
        if previous == nil { erase() }
        var text = [wchar_t](repeating: 0, count: 6)
        for y in 0 ..< frame.height {
            for x in 0 ..< frame.width {
                let cell = frame[x, y]
                if let previous, previous[x, y] == cell { continue }
                var count = 0
                for scalar in cell.symbol.unicodeScalars where count < 5 {
                    text[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                text[count] = 0
                // Writing the bottom-right cell makes curses scroll-report ERR; the cell is still drawn.
                _ = marginal_put_cell(Int32(y), Int32(x), text, attributes(cell.attributes) | brightBold(cell), pair(cell))
            }
        }
        shown = frame
        wnoutrefresh(marginal_stdscr())
        doupdate()
    }

    /// Forgets what is on screen, so the next `draw` repaints every cell.
    public func invalidate() { shown = nil; clearok(marginal_stdscr(), true) }

    /// Waits for the next event: up to `timeout` milliseconds (nil: until one comes, using no
    /// CPU meanwhile); nil when the time ran out.
    public func nextEvent(timeout: Int?) -> TerminalEvent? {
        wtimeout(marginal_stdscr(), Int32(timeout ?? -1))
        while true {
            var character: wint_t = 0
            let status = wget_wch(marginal_stdscr(), &character)
            if status == ERR { return nil }
            let code = Int32(bitPattern: character)
            if status == KEY_CODE_YES {
                if code == marginal_key_resize() {
                    width = Int(marginal_cols())
                    height = Int(marginal_lines())
                    invalidate()
                    return .resize(width: width, height: height)
                }
                if code == marginal_key_mouse() {
                    if let event = readMouse() { return .mouse(event) }
                    continue
                }
                if let key = functionKey(code) { return .key(key) }
                continue
            }
            if let key = characterKey(code) { return .key(key) }
        }
    }

    private func readMouse() -> MouseEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let x = Int(event.x), y = Int(event.y)
        if marginal_mouse_button1_released(event.bstate) != 0 {
            buttonDown = false
            return MouseEvent(.release, x: x, y: y)
        }
        if marginal_mouse_button1_pressed(event.bstate) != 0 {
            buttonDown = true
            return MouseEvent(.press, x: x, y: y)
        }
        if marginal_mouse_motion(event.bstate) != 0, buttonDown { return MouseEvent(.drag, x: x, y: y) }
        return nil
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case marginal_key_up(): .up
        case marginal_key_down(): .down
        case marginal_key_left(): .left
        case marginal_key_right(): .right
        case marginal_key_shift_up(): .shiftUp
        case marginal_key_shift_down(): .shiftDown
        case marginal_key_shift_left(): .shiftLeft
        case marginal_key_shift_right(): .shiftRight
        case marginal_key_back_tab(): .backTab
        case marginal_key_backspace(): .backspace
        case marginal_key_enter(): .enter
        case marginal_key_home(): .home
        case marginal_key_end(): .end
        case marginal_key_page_up(): .pageUp
        case marginal_key_page_down(): .pageDown
        case marginal_key_f1() ..< marginal_key_f1() + 12: .function(Int(code - marginal_key_f1()) + 1)
        default: nil
        }
    }

    private func characterKey(_ code: Int32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1 ... 26: return .control(Character(Unicode.Scalar(UInt8(code) + 96)))
        default:
            guard let scalar = Unicode.Scalar(UInt32(bitPattern: code)) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func attributes(_ attributes: TextAttributes) -> attr_t {
        var value = marginal_attr_normal()
        if attributes.contains(.bold) { value |= marginal_attr_bold() }
        if attributes.contains(.dim) { value |= marginal_attr_dim() }
        if attributes.contains(.reverse) { value |= marginal_attr_reverse() }
        if attributes.contains(.underline) { value |= marginal_attr_underline() }
        return value
    }

    /// The curses colour number for `color` on this terminal (−1: the terminal's default).
    private func number(_ color: TerminalColor, foreground: Bool) -> Int32 {
        guard case .indexed(let index) = color else { return -1 }
        switch theme.colors {
        case .monochrome: return -1
        case .extended: return Int32(index)
        case .basic: return color.basicColor(colors: Int(marginal_colors()), foreground: foreground).map { Int32($0.number) } ?? -1
        }
    }

    /// Bold for a cell whose foreground is a bright hue on an 8-colour terminal (`BasicColor`):
    /// how such a terminal shows the bright variant of a colour.
    private func brightBold(_ cell: Cell) -> attr_t {
        guard theme.colors == .basic,
              cell.foreground.basicColor(colors: Int(marginal_colors()), foreground: true)?.bold == true else { return 0 }
        return marginal_attr_bold()
    }

    /// The colour pair of a cell, made on first use; when the terminal's pairs run out they are
    /// all given back and the screen repainted.
    private func pair(_ cell: Cell) -> Int32 {
        guard theme.colors != .monochrome else { return 0 }
        let key = PairKey(foreground: number(cell.foreground, foreground: true), background: number(cell.background, foreground: false))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        if pairs.count + 1 >= Int(marginal_color_pairs()) {
            pairs.removeAll()
            repaint = true
        }
        let pair = Int32(pairs.count + 1)
        _ = marginal_init_pair(pair, key.foreground, key.background)
        pairs[key] = pair
        return pair
    }
}
