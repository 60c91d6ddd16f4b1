/// Anything that draws itself into a part of a `Buffer`: the tab and status bars, tables,
/// bars, the help overlay, and every screen of the app (ratatui's `Widget::render(area, buf)`).
/// A widget never touches the terminal, so it is tested by drawing into a buffer, a zero-size
/// area included.
public protocol Widget {
    /// Draws into the cells of `area` (clipped to the buffer), and nowhere else.
    func render(in area: Rect, into buffer: inout Buffer, theme: Theme)
}
