#!/usr/bin/env python3
"""Writes recorded run folders as `marginal train` writes them, long enough to time the
explorer on: a group of seeds of one configuration (default 5 seeds of a 100 000-step run,
a train line every 10 steps, 1 000 evaluations), in the files and keys of docs/ARCHITECTURE.md
(config.json, status.json, metrics.jsonl). The numbers are smooth made-up curves with a
seeded wobble, not training results.

    python3 Scripts/make_bench_runs.py OUT [--seeds 5] [--steps 100000] [--evaluations 1000]
    marginal bench tui --runs-dir OUT
"""
import argparse
import json
import math
import os
import random
import sys


def write_run(folder, seed, steps, evaluations, train_every):
    classes = ["background", "organ", "tumour"]
    os.makedirs(folder)
    eval_every = max(1, steps // evaluations)
    config = {"batch": 8, "class_names": classes, "dataset": "organ", "eval_every": eval_every, "lambda": 1.0,
              "loss": "ce_l1", "lr": 0.001, "optimizer": "adam", "patience": 5, "seed": seed, "size": 32,
              "steps": steps, "tau": 10, "threads": 1, "width": 8}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, sort_keys=True)
    rng = random.Random(seed)
    target = [0.8, 0.185, 0.015]
    with open(os.path.join(folder, "metrics.jsonl"), "w") as f:
        for step in range(train_every, steps + 1, train_every):
            t = step / 40.0
            ce = 0.05 + 1.0 / math.sqrt(step) + 0.01 * rng.random()
            reg = 0.02 / math.sqrt(step) * (1 + 0.1 * rng.random())
            f.write(json.dumps({"ce": ce, "epoch": step / 64, "loss": ce + reg, "lr": 0.001, "reg": reg,
                                "step": step, "time": t, "type": "train"}, sort_keys=True) + "\n")
            if step % eval_every == 0:
                p = step / steps
                iou = [0.95 + 0.03 * p, 0.4 + 0.4 * p + 0.02 * rng.random(), 0.1 + 0.3 * p + 0.05 * rng.random()]
                soft = [0.78 + 0.01 * rng.random(), 0.19, 0.02]
                f.write(json.dumps({"dice": iou, "epoch": step / 64, "hard_proportion": soft, "iou": iou,
                                    "loss": ce, "miou": sum(iou) / 3, "pred_proportion": soft, "step": step,
                                    "target_proportion": target, "tempered_proportion": soft, "time": t,
                                    "type": "eval"}, sort_keys=True) + "\n")
    with open(os.path.join(folder, "status.json"), "w") as f:
        json.dump({"status": "done", "step": steps}, f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the runs folder to create (must not exist)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--evaluations", type=int, default=1000)
    parser.add_argument("--train-every", type=int, default=10)
    args = parser.parse_args()
    if os.path.exists(args.out):
        sys.exit(f"make_bench_runs: {args.out}: exists; name a new folder")
    if min(args.seeds, args.steps, args.evaluations, args.train_every) < 1 or args.evaluations > args.steps:
        sys.exit("make_bench_runs: --seeds, --steps, --evaluations, --train-every must be at least 1, evaluations at most steps")
    os.makedirs(args.out)
    for seed in range(1, args.seeds + 1):
        write_run(os.path.join(args.out, f"organ-ce_l1-{seed}"), seed, args.steps, args.evaluations, args.train_every)


if __name__ == "__main__":
    main()
