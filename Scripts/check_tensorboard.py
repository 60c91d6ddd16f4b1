#!/usr/bin/env python3
"""Checks a marginal run folder's TensorBoard event files with TensorBoard's own reader.

    python3 Scripts/check_tensorboard.py runs/NAME

Opens the folder with tensorboard's EventAccumulator (every event file in it, in TensorBoard's
order, with its purge of steps a resumed run trained again) and compares every scalar with
metrics.jsonl under the tag convention of docs/TENSORBOARD.md: the same tags, and for each tag
the same steps with the same values (at float32, the precision of TensorBoard's simple_value).
Also checks the `config` text summary. Prints one line per tag family and "ok", or the
differences and exit status 1. Needs `pip install tensorboard` (no TensorFlow, no torch).
"""
import json
import os
import sys

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator


def expected_scalars(run):
    """tag -> [(step, value)] from metrics.jsonl, by the tag convention."""
    with open(os.path.join(run, "config.json")) as f:
        config = json.load(f)
    names = config.get("class_names") or []

    def name(k):
        return names[k] if k < len(names) else f"class{k}"

    expected = {}

    def add(tag, step, value):
        if value is not None:
            expected.setdefault(tag, []).append((step, value))

    with open(os.path.join(run, "metrics.jsonl")) as f:
        for line in f:
            if not line.endswith("\n"):
                break  # a line still being written
            m = json.loads(line)
            step = m["step"]
            if m["type"] == "train":
                for key in ["loss", "ce", "reg", "lr", "epoch"]:
                    add(key, step, m[key])
            elif m["type"] == "eval":
                add("miou", step, m.get("miou"))
                add("validation/loss", step, m.get("loss"))
                for k, v in enumerate(m["iou"]):
                    add(f"iou/{name(k)}", step, v)
                for k, v in enumerate(m["dice"]):
                    add(f"dice/{name(k)}", step, v)
                for key, kind in [("target_proportion", "target"), ("pred_proportion", "soft"),
                                  ("tempered_proportion", "tau"), ("hard_proportion", "hard")]:
                    for k, v in enumerate(m.get(key) or []):
                        add(f"proportion/{kind}/{name(k)}", step, v)
                add("hd95", step, m.get("hd95"))
                add("nsd", step, m.get("nsd"))
    return expected, config


def main():
    run = sys.argv[1]
    expected, config = expected_scalars(run)
    accumulator = EventAccumulator(run, size_guidance={"scalars": 0, "tensors": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    problems = []
    found = set(tags["scalars"])
    if found != set(expected):
        problems.append(f"tags: missing {sorted(set(expected) - found)}, extra {sorted(found - set(expected))}")
    points = 0
    for tag in sorted(set(expected) & found):
        got = [(e.step, e.value) for e in accumulator.Scalars(tag)]
        want = [(s, float(np.float32(v))) for s, v in expected[tag]]
        points += len(got)
        if got != want:
            problems.append(f"{tag}: TensorBoard has {got[:5]}… ({len(got)}), metrics.jsonl {want[:5]}… ({len(want)})")
    if "config" not in tags["tensors"]:
        problems.append("no `config` text summary")
    else:
        text = accumulator.Tensors("config")[-1].tensor_proto.string_val[0].decode()
        if json.loads(text) != config:
            problems.append("the `config` text is not config.json")
    families = {}
    for tag in found:
        families.setdefault(tag.split("/")[0], []).append(tag)
    for family in sorted(families):
        print(f"{family}: {len(families[family])} tag(s)")
    print(f"{len(found)} scalar tags, {points} points, text tags {tags['tensors']}")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
