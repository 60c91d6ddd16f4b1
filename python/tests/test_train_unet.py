#!/usr/bin/env python3
"""End-to-end checks of python/examples/train_unet.py on a small folder:PATH set drawn here
(20 gray 16 x 16 images of a disc, written with marginal_torch's PNG writer):

    python tests/test_train_unet.py [--torchrun PATH] [--work DIR]

- one process, a few steps: the run folder marginal reads (config.json with the engine and the
  process count, status.json done at the last step, metrics.jsonl's train and eval lines with
  the pinned keys at the steps marginal logs, checkpoint.json and checkpoint.pt — whose weights,
  evaluated again, give the last eval line's numbers — and preview.png);
- bad input: an unknown loss, a missing folder, --batch not a multiple of the processes: exit
  status 2 and one line on stderr naming the option or the file;
- `torchrun --nproc-per-node 2`, the same run: done, the metrics written once (by rank 0), the
  same numbers as one process (the same global batches; ce_l1 on images without ignored pixels,
  whose loss over two equal halves averages to the loss of the whole);
- `torchrun --nproc-per-node 2` stopped mid-run by SIGINT to the launcher's process group (what
  marginal does), by SIGTERM to it (torchrun's agent passes either on to its workers), and by
  SIGKILL (torchrun gone, its workers, in sessions of their own, notice it): status stopped at
  the checkpoint's step, checkpoint.pt present, no process of the run left.

Prints one line per check and a closing "N passed, M failed"; exit status 1 on any failure.
"""
import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import marginal_torch as mt  # noqa: E402
from marginal_torch.folder import FolderDataset  # noqa: E402
from marginal_torch.png import gray_png, palette_png, read_png  # noqa: E402
from marginal_torch.unet import UNetS  # noqa: E402

SCRIPT = os.path.join(HERE, "..", "examples", "train_unet.py")
TRAIN_KEYS = {"type", "step", "epoch", "time", "lr", "loss", "ce", "reg"}
EVAL_KEYS = {"type", "step", "epoch", "time", "iou", "miou", "dice", "pred_proportion", "tempered_proportion",
             "hard_proportion", "target_proportion", "loss"}
SIZE, STEPS, EVERY = 16, 12, 6


def draw_folder_set(folder, count=20, seed=0):
    """Gray images of one bright disc on noise, masks 0/1 (palette PNGs)."""
    generator = torch.Generator().manual_seed(seed)
    ys, xs = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE), indexing="ij")
    for sub in ("images", "masks"):
        os.makedirs(os.path.join(folder, sub))
    for i in range(count):
        cy, cx = (2 + torch.rand(2, generator=generator) * (SIZE - 4)).tolist()
        mask = (((ys - cy) ** 2 + (xs - cx) ** 2) <= 6).long()
        image = (60 + 120 * mask + 40 * torch.rand(SIZE, SIZE, generator=generator)).round().int()
        with open(os.path.join(folder, "images", f"{i:03d}.png"), "wb") as file:
            file.write(gray_png(image.tolist()))
        with open(os.path.join(folder, "masks", f"{i:03d}.png"), "wb") as file:
            file.write(palette_png(mask.tolist()))


def arguments(data, runs, name, steps=STEPS, extra=()):
    return ["--dataset", f"folder:{data}", "--loss", "ce_l1", "--steps", str(steps), "--batch", "4",
            "--eval-every", str(EVERY), "--width", "4", "--threads", "1", "--seed", "3",
            "--runs-dir", runs, "--run", name, *extra]


def read_json(path):
    with open(path) as file:
        return json.load(file)


def metrics(folder):
    with open(os.path.join(folder, "metrics.jsonl")) as file:
        return [json.loads(line) for line in file]


def close(a, b, relative):
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-12)


class Checks:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def run(self, name, function):
        started = time.monotonic()
        try:
            function()
        except AssertionError as error:
            self.failed += 1
            print(f"FAIL {name}: {error}", flush=True)
            return
        self.passed += 1
        print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def check_one_process(work, data):
    runs = os.path.join(work, "runs")
    result = subprocess.run([sys.executable, SCRIPT, *arguments(data, runs, "one")], capture_output=True, text=True)
    expect(result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}")
    folder = os.path.join(runs, "one")
    progress = result.stdout.strip().split("\n")
    expect(len(progress) == STEPS // EVERY + 1 and progress[0].startswith(f"step {EVERY}/{STEPS} "),
           f"one line per evaluation and a closing one: {progress}")
    config = read_json(os.path.join(folder, "config.json"))
    for key in mt.runlog.CONFIG_KEYS:
        expect(key in config, f"config.json has no {key}: {config}")
    expect(config["engine"] == "pytorch" and config["processes"] == 1, f"config.json: {config}")
    expect(config["dataset"] == f"folder:{data}" and config["class_names"] == ["class 0", "class 1"], f"config.json: {config}")
    status = read_json(os.path.join(folder, "status.json"))
    expect(status["status"] == "done" and status["step"] == STEPS and status["engine"] == "pytorch"
           and status["process_group"] > 0, f"status.json: {status}")
    lines = metrics(folder)
    train, evals = [l for l in lines if l["type"] == "train"], [l for l in lines if l["type"] == "eval"]
    expect([l["step"] for l in train] == [1, 10, 12], f"train lines at steps 1, 10 and the last: {[l['step'] for l in train]}")
    expect([l["step"] for l in evals] == [6, 12], f"eval lines every {EVERY} steps: {[l['step'] for l in evals]}")
    expect(all(set(l) == TRAIN_KEYS for l in train), f"train keys: {[sorted(l) for l in train]}")
    expect(all(set(l) == EVAL_KEYS for l in evals), f"eval keys: {[sorted(l) for l in evals]}")
    expect(all(abs(l["reg"] - (l["loss"] - l["ce"])) < 1e-12 for l in train), "reg = loss − ce")
    info = read_json(os.path.join(folder, "checkpoint.json"))
    expect(info["step"] == STEPS and info["plateau"]["patience"] == 5 and "best" in info["plateau"], f"checkpoint.json: {info}")
    expect(info["best_miou"] == max(l["miou"] for l in evals), f"best_miou {info['best_miou']}")
    preview = read_png(open(os.path.join(folder, "preview.png"), "rb").read(), labels=True)
    expect(preview.shape[:2] == (SIZE, 2 * SIZE), f"preview.png: truth | prediction, {preview.shape}")
    # The saved weights, evaluated again as train_unet.py evaluates, give the last eval line.
    state = torch.load(os.path.join(folder, "checkpoint.pt"))
    expect(state["step"] == STEPS and "optimizer" in state, f"checkpoint.pt keys {sorted(state)}")
    model = UNetS(1, 2, 4, seed=0)
    model.load_state_dict(state["model"])
    validation = FolderDataset(data, seed=3).validation
    with torch.no_grad():
        logits = model(validation.images)
    meter = mt.SplitMeter(classes=2, tau=10)
    meter.add(logits, validation.masks)
    again = meter.result(loss=float(mt.loss("ce_l1", logits, validation.masks)))
    expect(close(again["miou"], evals[-1]["miou"], 1e-9) and close(again["loss"], evals[-1]["loss"], 1e-5),
           f"the checkpoint's validation mIoU {again['miou']}, loss {again['loss']} ≠ the last eval line's "
           f"{evals[-1]['miou']}, {evals[-1]['loss']}")


def check_dataset_description(work):
    """A dataset.json (marginal dataset export's) gives the class names and the splits; stems in
    no listed split are the test split when it lists none; a stem without a pair is refused."""
    data = os.path.join(work, "described")
    draw_folder_set(data, count=6, seed=1)
    stems = sorted(os.path.splitext(name)[0] for name in os.listdir(os.path.join(data, "images")))
    description = {"name": "discs", "classes": ["background", "disc"], "seed": 9,
                   "splits": {"train": [stems[4], stems[0], stems[2]], "val": [stems[5]]}}
    with open(os.path.join(data, "dataset.json"), "w") as file:
        json.dump(description, file)
    dataset = FolderDataset(data, seed=1)
    expect(dataset.class_names == ["background", "disc"], f"class names {dataset.class_names}")
    expect(dataset.train.names == [stems[0], stems[2], stems[4]] and dataset.validation.names == [stems[5]]
           and dataset.test.names == [stems[1], stems[3]],
           f"splits {dataset.train.names} / {dataset.validation.names} / {dataset.test.names}")
    seeded = FolderDataset(os.path.join(work, "data"), seed=1)
    expect(len(seeded.test) == len(seeded.validation) == 3 and len(seeded.train) == 14,
           f"without dataset.json, 15 % test and validation of 20: {len(seeded.train)}, {len(seeded.validation)}, {len(seeded.test)}")
    description["splits"]["val"].append("missing")
    with open(os.path.join(data, "dataset.json"), "w") as file:
        json.dump(description, file)
    try:
        FolderDataset(data, seed=1)
    except ValueError as error:
        expect("dataset.json" in str(error) and "missing" in str(error), f"the refusal: {error}")
    else:
        raise AssertionError("a split naming a stem without an image/mask pair was accepted")


def check_bad_inputs(work, data):
    runs = os.path.join(work, "bad-runs")
    cases = [
        ("an unknown loss", arguments(data, runs, "bad")[:2] + ["--loss", "nonsense"], {}, "--loss nonsense"),
        ("a missing folder", ["--dataset", f"folder:{work}/nowhere", "--runs-dir", runs], {}, f"{work}/nowhere"),
        ("--batch not a multiple of the processes", arguments(data, runs, "bad", extra=["--batch", "3"]),
         {"WORLD_SIZE": "2", "RANK": "0"}, "--batch 3"),
    ]
    for what, given, environment, named in cases:
        result = subprocess.run([sys.executable, SCRIPT, *given], capture_output=True, text=True,
                                env={**os.environ, **environment})
        lines = result.stderr.strip().split("\n")
        expect(result.returncode == 2, f"{what}: exit {result.returncode}, not 2: {result.stderr[-1000:]}")
        expect(len(lines) == 1 and named in lines[0], f"{what}: stderr is not one line naming {named}: {result.stderr!r}")
    expect(not os.path.exists(os.path.join(runs, "bad")), "a refused run left a run folder")


def check_two_processes(work, data, torchrun):
    runs = os.path.join(work, "runs")
    result = subprocess.run([*torchrun, "--nproc-per-node", "2", SCRIPT, "--", *arguments(data, runs, "two")],
                            capture_output=True, text=True)
    expect(result.returncode == 0, f"torchrun exit {result.returncode}: {result.stderr[-2000:]}")
    folder = os.path.join(runs, "two")
    status, config = read_json(os.path.join(folder, "status.json")), read_json(os.path.join(folder, "config.json"))
    expect(status["status"] == "done" and status["step"] == STEPS, f"status.json: {status}")
    expect(config["processes"] == 2 and config["batch"] == 4, f"config.json: {config}")
    two, one = metrics(folder), metrics(os.path.join(runs, "one"))
    expect([(l["type"], l["step"]) for l in two] == [(l["type"], l["step"]) for l in one],
           f"the metrics lines, written once by rank 0: {[(l['type'], l['step']) for l in two]}")
    expect(len(os.listdir(folder)) == len(os.listdir(os.path.join(runs, "one"))), f"files: {sorted(os.listdir(folder))}")
    expect(close(two[0]["loss"], one[0]["loss"], 1e-6), f"step 1's loss {two[0]['loss']} ≠ {one[0]['loss']} (one process)")
    last = [l for l in two if l["type"] == "eval"][-1], [l for l in one if l["type"] == "eval"][-1]
    expect(close(last[0]["loss"], last[1]["loss"], 1e-3), f"the last validation loss {last[0]['loss']} ≠ {last[1]['loss']}")


def children(pid):
    """The pids whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    fields = file.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def unblock_stop_signals():
    """torchrun's agent must see SIGINT and SIGTERM to pass them on, but a child inherits its
    parent's signal mask, and test runners (swift test's among them) may block both; a launcher
    of torchrun (marginal's included) starts it with them unblocked."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def blocked_signals(pid):
    """The signal mask of process `pid` (SigBlk in /proc), for a failure message."""
    try:
        with open(f"/proc/{pid}/status") as file:
            return next((line.split()[1] for line in file if line.startswith("SigBlk:")), "?")
    except OSError:
        return "gone"


def check_stopped(work, data, torchrun, number):
    runs = os.path.join(work, "runs")
    name = f"stopped-{signal.Signals(number).name}"
    launcher = subprocess.Popen([*torchrun, "--nproc-per-node", "2", SCRIPT, "--",
                                 *arguments(data, runs, name, steps=100000)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                preexec_fn=unblock_stop_signals)
    folder = os.path.join(runs, name)
    workers = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and launcher.poll() is None:
            if os.path.exists(os.path.join(folder, "checkpoint.json")):
                break
            time.sleep(0.2)
        if launcher.poll() is not None:
            raise AssertionError(f"torchrun ended early: {launcher.communicate()[1][-2000:]}")
        expect(os.path.exists(os.path.join(folder, "checkpoint.json")), "no evaluation within 120 s")
        status = read_json(os.path.join(folder, "status.json"))
        expect(status["status"] == "running" and status["pid"] == launcher.pid
               and status["process_group"] == os.getpgid(launcher.pid), f"status.json while running: {status}")
        workers = children(launcher.pid)
        expect(len(workers) == 2, f"torchrun's workers: {workers}")
        os.killpg(status["process_group"], number)
        try:
            launcher.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the run did not end within 60 s of {signal.Signals(number).name} (signal masks: "
                                 f"torchrun {blocked_signals(launcher.pid)}, workers "
                                 f"{[blocked_signals(pid) for pid in workers]})") from None
        # torchrun waits for its workers, unless killed outright: then they notice it gone.
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        expect(not any(alive(pid) for pid in workers), f"workers left: {[p for p in workers if alive(p)]}")
        status, info = read_json(os.path.join(folder, "status.json")), read_json(os.path.join(folder, "checkpoint.json"))
        expect(status["status"] == "stopped" and status["step"] == info["step"] > EVERY,
               f"status.json {status}, checkpoint.json step {info['step']}")
        expect(os.path.exists(os.path.join(folder, "checkpoint.pt")), "no checkpoint.pt")
        expect(torch.load(os.path.join(folder, "checkpoint.pt"))["step"] == info["step"], "checkpoint.pt's step")
    finally:
        # On a failure: torchrun's group and its workers, each in a session of its own.
        for pid in [launcher.pid] + workers if launcher.poll() is None else workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        launcher.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torchrun", help="the torchrun to run (default: this Python's torch.distributed.run, "
                                           "which the torchrun command runs)")
    parser.add_argument("--work", help="an empty folder to work in, kept (default: a temporary one, removed)")
    options = parser.parse_args()
    torchrun = [options.torchrun] if options.torchrun else [sys.executable, "-m", "torch.distributed.run"]
    checks = Checks()
    if options.work and os.listdir(options.work):
        sys.exit(f"--work {options.work}: not an empty folder")
    with (contextlib.nullcontext(options.work) if options.work else tempfile.TemporaryDirectory(prefix="train-unet-")) as work:
        data = os.path.join(work, "data")
        draw_folder_set(data)
        checks.run("one process: a run folder marginal reads", lambda: check_one_process(work, data))
        checks.run("bad input: exit 2, one line", lambda: check_bad_inputs(work, data))
        checks.run("folder set: dataset.json's classes and splits", lambda: check_dataset_description(work))
        checks.run("torchrun 2 processes: rank 0 writes, same numbers", lambda: check_two_processes(work, data, torchrun))
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
            checks.run(f"torchrun 2 processes, {number.name} to the process group: stopped",
                       lambda: check_stopped(work, data, torchrun, number))
    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
