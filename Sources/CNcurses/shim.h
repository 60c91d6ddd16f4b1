#ifndef MARGINAL_CNCURSES_SHIM_H
#define MARGINAL_CNCURSES_SHIM_H

// ncursesw (wide characters) as Debian's libncursesw5-dev / libncurses-dev install it.
// _XOPEN_SOURCE_EXTENDED must come first, or <ncurses.h> leaves out the wide API
// (cchar_t, setcchar, add_wch).
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// Swift 6 rejects C globals (stdscr, COLS, LINES, COLORS, COLOR_PAIRS) as unsafe shared
// state and imports no function-like macros (COLOR_PAIR, KEY_F): each becomes a function here.

static inline WINDOW *marginal_stdscr(void) { return stdscr; }
/// newterm on the process's standard output and input: NULL (rather than exiting, as initscr
/// does) when the terminal type is unknown.
static inline SCREEN *marginal_newterm(void) { return newterm(NULL, stdout, stdin); }
/// Whether the terminal can move its cursor to any cell (terminfo's `cup`): a terminal without it
/// (TERM=dumb, a printing terminal) can only write lines one after another, and curses then shows
/// a blank screen. tigetstr gives NULL when the capability is absent, (char *)-1 when it is not a
/// string capability.
static inline int marginal_has_cursor_addressing(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1 && cup[0] != '\0';
}
/// Ends and frees a screen from newterm that will not be used.
static inline void marginal_discard_screen(SCREEN *screen) { endwin(); delscreen(screen); }
static inline int marginal_cols(void) { return COLS; }
static inline int marginal_lines(void) { return LINES; }
static inline int marginal_colors(void) { return COLORS; }
static inline int marginal_color_pairs(void) { return COLOR_PAIRS; }

static inline int marginal_key_resize(void) { return KEY_RESIZE; }
static inline int marginal_key_mouse(void) { return KEY_MOUSE; }
static inline int marginal_key_up(void) { return KEY_UP; }
static inline int marginal_key_down(void) { return KEY_DOWN; }
static inline int marginal_key_left(void) { return KEY_LEFT; }
static inline int marginal_key_right(void) { return KEY_RIGHT; }
static inline int marginal_key_shift_left(void) { return KEY_SLEFT; }
static inline int marginal_key_shift_right(void) { return KEY_SRIGHT; }
/// Shift-Up and Shift-Down: xterm's terminfo calls them "scroll reverse" and "scroll forward".
static inline int marginal_key_shift_up(void) { return KEY_SR; }
static inline int marginal_key_shift_down(void) { return KEY_SF; }
static inline int marginal_key_back_tab(void) { return KEY_BTAB; }
static inline int marginal_key_backspace(void) { return KEY_BACKSPACE; }
static inline int marginal_key_enter(void) { return KEY_ENTER; }
static inline int marginal_key_home(void) { return KEY_HOME; }
static inline int marginal_key_end(void) { return KEY_END; }
static inline int marginal_key_page_up(void) { return KEY_PPAGE; }
static inline int marginal_key_page_down(void) { return KEY_NPAGE; }
static inline int marginal_key_f1(void) { return KEY_F(1); }

static inline attr_t marginal_attr_bold(void) { return A_BOLD; }
static inline attr_t marginal_attr_dim(void) { return A_DIM; }
static inline attr_t marginal_attr_reverse(void) { return A_REVERSE; }
static inline attr_t marginal_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t marginal_attr_normal(void) { return A_NORMAL; }

static inline mmask_t marginal_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | REPORT_MOUSE_POSITION;
}
static inline int marginal_mouse_button1_pressed(mmask_t state) { return (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline int marginal_mouse_button1_released(mmask_t state) { return (state & BUTTON1_RELEASED) != 0; }
static inline int marginal_mouse_motion(mmask_t state) { return (state & REPORT_MOUSE_POSITION) != 0; }

/// Draws one cell: up to four scalars (a spacing character and its combining marks) with
/// attributes and an extended colour pair (setcchar's `opts` carries pairs above 32767).
static inline int marginal_put_cell(int y, int x, const wchar_t *text, attr_t attributes, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attributes, 0, &pair) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

/// init_extended_pair where ncurses has it (6.1 and later), init_pair otherwise.
static inline int marginal_init_pair(int pair, int foreground, int background) {
#if defined(NCURSES_EXT_COLORS) && NCURSES_EXT_COLORS
    return init_extended_pair(pair, foreground, background);
#else
    return init_pair((short)pair, (short)foreground, (short)background);
#endif
}

/// Whether the locale's character set is UTF-8 (after setlocale(LC_ALL, "")).
static inline int marginal_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/// The terminal is restored before the process dies of a signal: SIGINT (Ctrl-C), SIGTERM,
/// SIGHUP (the SSH connection dropped), and the crash signals of a Swift trap or a fault.
/// The handler then re-raises the signal with its default action, so the exit status still
/// says which signal ended the process.
static inline void marginal_restore_on_signal(int signal_number) {
    endwin();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static inline void marginal_install_signal_handlers(void) {
    int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV };
    sigset_t unblock;
    sigemptyset(&unblock);
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        signal(signals[i], marginal_restore_on_signal);
        sigaddset(&unblock, signals[i]);
    }
    // A process started from a thread that blocks signals (a test runner, some launchers)
    // inherits that mask: without this, Ctrl-C, SIGTERM and resizes (SIGWINCH) never arrive.
    sigaddset(&unblock, SIGWINCH);
    sigaddset(&unblock, SIGTSTP);
    sigaddset(&unblock, SIGCONT);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

static inline void marginal_reset_signal_handlers(void) {
    int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
}

#endif
