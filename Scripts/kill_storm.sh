#!/bin/bash
# Kill storm (issue 16): a small training run SIGKILLed at random moments KILLS times, resumed
# after each kill, then checked: the run completes (status done), the steps of metrics.jsonl
# strictly increase with no duplicate, the checkpoint loads (marginal eval), and the final
# weights and optimiser state (checkpoint.bin) are byte for byte those of the same run trained
# without interruption: a resume restarts from the last checkpoint, whose steps are replayed
# exactly (the batches follow from the seed and the step; one thread sums in a fixed order).
#   Scripts/kill_storm.sh [KILLS] [SEED]        (default 50 kills, seed 1)
# MARGINAL (default: .build/release/marginal, else .build/debug/marginal) picks the binary;
# STEPS (default 2000) and SIZE (default 16) the run. Prints the counts; exit 1 on a failed check.
set -u
kills=${1:-50}
seed=${2:-1}
steps=${STEPS:-2000}
size=${SIZE:-16}
cd "$(dirname "$0")/.."
marginal=${MARGINAL:-}
if [ -z "$marginal" ]; then
    if [ -x .build/release/marginal ]; then marginal=$PWD/.build/release/marginal; else marginal=$PWD/.build/debug/marginal; fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/kill-storm.XXXXXX")
trap 'rm -rf "$work"' EXIT
RANDOM=$seed
run=(--runs-dir "$work/runs" --run storm)
# exec: run as `train &` (or `(train)`), the subshell becomes marginal, so that $! is marginal's
# pid and the SIGKILL lands on the trainer, not on a shell that would leave it running.
train() { exec "$marginal" train --dataset lesions --loss ce_l1 --steps "$steps" --batch 2 --size "$size" --width 4 \
          --eval-every 20 --seed 7 --threads 1 "${run[@]}" "$@" >>"$work/train.log" 2>&1; }

# A run killed before its first checkpoint has nothing to resume: it starts again (a fresh
# `train` refuses an existing run folder).
fresh() { if [ -d "$work/runs/storm" ]; then rm -rf "$work/runs/storm"; restarts=$((restarts + 1)); fi; }

landed=0; finished_early=0; resumes=0; restarts=0
for ((i = 1; i <= kills; i++)); do
    if [ -f "$work/runs/storm/checkpoint.bin" ]; then train --resume & resumes=$((resumes + 1)); else fresh; train & fi
    pid=$!
    # A random moment: 20 ms to ~1.3 s after the start (loading, steps, checkpoint and status
    # writes); two kills in three after the trainer says it is running, so that on a loaded
    # machine, where loading alone can outlast the delay, kills still land among steps and saves.
    if [ $((RANDOM % 3)) -ne 0 ]; then
        for ((wait = 0; wait < 100; wait++)); do
            grep -q "\"pid\" : $pid\b" "$work/runs/storm/status.json" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
    fi
    sleep "0.$(printf '%03d' $((RANDOM % 1000)))"
    [ $((RANDOM % 3)) -eq 0 ] && sleep 0.3
    if kill -KILL "$pid" 2>/dev/null; then landed=$((landed + 1)); else finished_early=$((finished_early + 1)); fi
    wait "$pid" 2>/dev/null
    if grep -q '"status" : "done"' "$work/runs/storm/status.json" 2>/dev/null; then break; fi
done
# Then to the end, unkilled.
until grep -q '"status" : "done"' "$work/runs/storm/status.json" 2>/dev/null; do
    if [ -f "$work/runs/storm/checkpoint.bin" ]; then (train --resume); else fresh; (train); fi || { echo "kill storm: training failed after the kills:"; tail -3 "$work/train.log"; exit 1; }
    resumes=$((resumes + 1))
done

failures=0
status=$(tr -d '\n ' <"$work/runs/storm/status.json")
case $status in *'"step":'"$steps"*) ;; *) echo "kill storm: FAIL status.json is $status, not done at step $steps"; failures=$((failures + 1));; esac
python3 - "$work/runs/storm/metrics.jsonl" <<'PY' || failures=$((failures + 1))
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "metrics.jsonl does not end with a newline"
for kind in ("train", "eval"):
    steps = [json.loads(l)["step"] for l in lines[:-1] if json.loads(l)["type"] == kind]
    bad = [(a, b) for a, b in zip(steps, steps[1:]) if b <= a]
    if bad:
        print(f"kill storm: FAIL {kind} steps do not strictly increase: {bad[:5]}"); sys.exit(1)
    print(f"kill storm: {len(steps)} {kind} lines, steps strictly increasing, no duplicate")
PY
if "$marginal" eval "${run[@]}" >"$work/eval.txt" 2>&1; then echo "kill storm: the checkpoint loads (marginal eval)"; else
    echo "kill storm: FAIL marginal eval: $(head -1 "$work/eval.txt")"; failures=$((failures + 1)); fi
# The same run, never killed: its final checkpoint must be the storm's, byte for byte.
reference=(--runs-dir "$work/runs" --run reference)
if ! "$marginal" train --dataset lesions --loss ce_l1 --steps "$steps" --batch 2 --size "$size" --width 4 \
        --eval-every 20 --seed 7 --threads 1 "${reference[@]}" >>"$work/train.log" 2>&1; then
    echo "kill storm: FAIL the uninterrupted reference run failed: $(tail -1 "$work/train.log")"; failures=$((failures + 1))
elif cmp -s "$work/runs/storm/checkpoint.bin" "$work/runs/reference/checkpoint.bin"; then
    echo "kill storm: the final weights and Adam state equal an uninterrupted run's, byte for byte"
else
    echo "kill storm: FAIL the final checkpoint differs from an uninterrupted run's ($(cmp "$work/runs/storm/checkpoint.bin" "$work/runs/reference/checkpoint.bin" 2>&1 | head -1))"
    failures=$((failures + 1))
fi
echo "kill storm: $landed SIGKILLs landed ($finished_early runs ended before their kill), $resumes resumes, $restarts restarts before a first checkpoint, $failures failed checks"
[ "$failures" -eq 0 ]
