#!/usr/bin/env bash
# Regenerates assets/screens/*.txt, the explorer's screens shown in the README: the release
# build of marginal in tmux at 100 × 30, driven by the keys listed below, captured as text
# (colours are lost). The runs screens come from two real training runs on `organ` (300 steps,
# evaluated every 20), made first in a temporary folder. Run from anywhere; needs tmux.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift build -c release --product marginal >/dev/null
marginal="$(swift build -c release --show-bin-path)/marginal"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p assets/screens

# capture NAME ARGS KEYS…: opens `marginal ARGS`, sends each key (a pause after each), saves the screen.
capture() {
    local name="$1" arguments="$2" socket="marginal-capture-$$-$1"  # a server a capture
    shift 2
    tmux -L "$socket" -f /dev/null new-session -d -x 100 -y 30 -s capture \
        "cd '$work' && TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 '$marginal' $arguments; sleep 60"
    sleep 1
    for key in "$@"; do tmux -L "$socket" send-keys -t capture "$key"; sleep 0.3; done
    sleep 0.5
    tmux -L "$socket" capture-pane -p -t capture | sed 's/[[:space:]]*$//' > "assets/screens/$name.txt"
    tmux -L "$socket" kill-server 2>/dev/null || true
}

capture curves "tui --screen curves" c c
capture simplex "tui --screen simplex"
capture marginals "tui --screen marginals"
capture temperature "tui --screen temperature" t
capture toy "tui --screen toy" $(printf "Space %.0s" {1..32})
capture help "tui --screen curves" "?"

for loss in dice ce_l1; do
    "$marginal" train --dataset organ --loss "$loss" --steps 300 --eval-every 20 --run "organ-$loss" --runs-dir "$work/runs" 2>/dev/null
done
capture runs "tui --screen runs"
capture runs-monitor "tui --screen runs" j Enter
capture runs-compare "tui --screen runs" c Right

# A group of three seeds (short and small: the point is the spread), folded in the list, then its monitor.
"$marginal" train --dataset lesions --loss ce_l1 --steps 30 --eval-every 10 --seeds 1,2,3 --run g \
    --size 32 --width 8 --batch 4 --lr 3e-3 --threads 1 --runs-dir "$work/group-runs" >/dev/null 2>&1
capture runs-group "tui --screen runs --runs-dir group-runs"
capture runs-group-monitor "tui --screen runs --runs-dir group-runs" Enter
echo "assets/screens/: $(ls assets/screens | tr '\n' ' ')"
