#!/usr/bin/env python3
"""Cross-check: the PyTorch companion (marginal_torch) against marginal's Swift core.

    python tests/cross_check.py --marginal .build/debug/marginal

For each case below (random and edge cases: absent classes, ignored pixels, an image whose pixels
are all ignored, extreme and confident logits, binary, τ and λ and class weights), it writes the
logits (float64) and labels as NPY, runs `marginal decompose --json --grad-dir`, and compares, in
float64:
  - every loss's value, and its gradient from autograd with `--grad-dir`'s <loss>.npy;
  - the label-marginal penalties (l1, kl, db, db1), the marginals ŷ and p̂, and the decomposition.
Tolerance 1e-9 relative: a value |a − b| ≤ 1e-9 · max(|a|, |b|); a gradient
max_i |a_i − b_i| ≤ 1e-9 · max_i |b_i| (relative in the max norm: an element that underflows to
1e-300 in one and to a subnormal in the other has no digits to compare).
Prints one line per case and a closing "N passed, M failed"; exit status 1 on any mismatch.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

try:
    import torch
except ImportError:
    sys.exit(f"cross_check: torch is not importable by {sys.executable}: run Scripts/install-dependencies.sh "
             "(it makes .venv with torch and tensorboard)")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import marginal_torch as mt  # noqa: E402

TOLERANCE = 1e-9


def random_labels(rng, b, k, h, w, ignored=0.1):
    y = rng.integers(0, k, size=(b, h, w))
    y[rng.random((b, h, w)) < ignored] = 255
    return y


def cases(seed):
    """(name, logits, labels, extra CLI arguments, torch settings)"""
    rng = np.random.default_rng(seed)
    out = []
    z = rng.normal(0, 2, (2, 3, 6, 7))
    out.append(("random K=3", z, random_labels(rng, 2, 3, 6, 7), {}))

    z = rng.normal(0, 1.5, (2, 4, 5, 6))
    y = rng.integers(0, 3, size=(2, 5, 6))           # class 3 absent from the batch
    y[0][y[0] == 2] = 1                                # class 2 absent from image 0
    y[1, 0, :3] = 255
    out.append(("absent classes", z, y, {}))

    out.append(("mostly ignored", rng.normal(0, 2, (2, 3, 8, 8)), random_labels(rng, 2, 3, 8, 8, 0.7), {}))

    y = random_labels(rng, 3, 3, 5, 5)
    y[1] = 255                                         # image 1: every pixel ignored
    out.append(("all-ignored image", rng.normal(0, 2, (3, 3, 5, 5)), y, {}))

    z = rng.normal(0, 60, (2, 3, 6, 6))
    z[0, 0, 0, :] = 500
    z[1, 2, 3, :] = -500
    out.append(("extreme logits", z, random_labels(rng, 2, 3, 6, 6), {}))

    y = random_labels(rng, 2, 3, 6, 6)
    onehot = np.eye(3)[np.where(y == 255, 0, y)].transpose(0, 3, 1, 2)
    out.append(("confident and right", 40 * onehot + rng.normal(0, 0.5, (2, 3, 6, 6)), y, {}))

    y = (rng.random((3, 6, 8)) < 0.25).astype(np.int64)
    y[1] = 0                                           # image 1: no foreground
    y[2] = 255                                         # image 2: nothing valid
    y[0, 0, :2] = 255
    out.append(("binary", rng.normal(0, 2, (3, 2, 6, 8)), y, {}))

    z = rng.normal(0, 80, (2, 2, 5, 5))
    out.append(("binary extreme", z, (rng.random((2, 5, 5)) < 0.3).astype(np.int64), {}))

    out.append(("tau 1, lambda 0.5", rng.normal(0, 2, (2, 3, 6, 6)), random_labels(rng, 2, 3, 6, 6),
                {"tau": 1.0, "lam": 0.5}))
    out.append(("tau 2.5", rng.normal(0, 2, (2, 3, 6, 6)), random_labels(rng, 2, 3, 6, 6), {"tau": 2.5}))
    out.append(("class weights", rng.normal(0, 2, (2, 4, 6, 6)), random_labels(rng, 2, 4, 6, 6),
                {"class_weights": [0.5, 1.0, 2.0, 1.5]}))

    y = np.full((2, 4, 4), 255)
    y[1, 2, 3] = 1                                     # one valid pixel in the batch
    out.append(("one valid pixel", rng.normal(0, 2, (2, 3, 4, 4)), y, {}))
    return out


def save_npy(path, array, dtype):
    np.save(path, np.ascontiguousarray(array, dtype=dtype))


def value_close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def run_case(marginal, folder, name, z, y, settings):
    save_npy(os.path.join(folder, "z.npy"), z, "<f8")
    save_npy(os.path.join(folder, "y.npy"), y, "|u1")
    tau = settings.get("tau", mt.DEFAULT_TAU)
    arguments = [marginal, "decompose", "--logits", "z.npy", "--labels", "y.npy", "--tau", repr(tau),
                 "--json", "--grad-dir", "grads"]
    if "lam" in settings:
        arguments += ["--lambda", repr(settings["lam"])]
    if "class_weights" in settings:
        arguments += ["--class-weights", ",".join(repr(w) for w in settings["class_weights"])]
    done = subprocess.run(arguments, cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        return [f"marginal decompose failed ({done.returncode}): {done.stderr.strip()}"], 0
    report = json.loads(done.stdout)
    problems, compared, worst = [], 0, [0.0, 0.0]
    labels = torch.from_numpy(np.asarray(y, dtype=np.int64))
    classes = z.shape[1]
    expected_names = mt.available(classes)
    if sorted(report["losses"]) != sorted(expected_names):
        problems.append(f"losses: marginal has {sorted(report['losses'])}, marginal_torch {sorted(expected_names)}")
    for loss in expected_names:
        logits = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        value = mt.loss(loss, logits, labels, lam=settings.get("lam"), tau=tau,
                        class_weights=settings.get("class_weights"))
        value.backward()
        swift_value = report["losses"].get(loss)
        compared += 1
        if swift_value is not None and swift_value != 0:
            worst[0] = max(worst[0], abs(value.item() - swift_value) / abs(swift_value))
        if not value_close(value.item(), swift_value):
            problems.append(f"{loss}: value {value.item()!r} (torch) vs {swift_value!r} (marginal)")
        reference = np.load(os.path.join(folder, "grads", f"{loss}.npy"))
        gradient = logits.grad.numpy()
        compared += 1
        scale = np.abs(reference).max()
        error = np.abs(gradient - reference).max()
        if scale > 0:
            worst[1] = max(worst[1], error / scale)
        if not error <= TOLERANCE * scale:
            problems.append(f"{loss}: gradient max |Δ| {error:.3e} > 1e-9 · max |∂| = {TOLERANCE * scale:.3e}")
    logits = torch.tensor(z, dtype=torch.float64)
    for penalty in [p for p in mt.PENALTIES if classes == 2 or p != "db1"]:
        compared += 1
        mine = mt.penalty(penalty, logits, labels, tau=tau).item()
        if not value_close(mine, report["regularizers"][penalty]):
            problems.append(f"penalty {penalty}: {mine!r} vs {report['regularizers'][penalty]!r}")
    batch = mt.SegmentationBatch(logits, labels, tau)
    for key, mine in (("target", batch.target_proportion), ("pred", batch.predicted_proportion)):
        for b, row in enumerate(report["marginals"][key]):
            compared += 1
            if row is None:
                if bool(batch.kept_images[b]):
                    problems.append(f"marginals {key}[{b}]: marginal skips the image, marginal_torch does not")
            elif not all(value_close(a, c) or abs(a - c) <= TOLERANCE * max(row) for a, c in zip(mine[b].tolist(), row)):
                problems.append(f"marginals {key}[{b}]: {mine[b].tolist()} vs {row}")
    for term, mine in mt.decompose(logits, labels).items():
        compared += 1
        if not value_close(mine, report["decomposition"][term]):
            problems.append(f"decomposition {term}: {mine!r} vs {report['decomposition'][term]!r}")
    return problems, compared, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--marginal", required=True, help="the marginal executable")
    parser.add_argument("--seed", type=int, default=15)
    options = parser.parse_args()
    torch.set_default_dtype(torch.float64)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="marginal-cross-check-") as folder:
        for name, z, y, settings in cases(options.seed):
            problems, compared, worst = run_case(os.path.abspath(options.marginal), folder, name, z, y, settings)
            if problems:
                failed += 1
                print(f"FAIL {name}:")
                for problem in problems:
                    print(f"  {problem}")
            else:
                passed += 1
                print(f"ok   {name}: {compared} values and gradients within 1e-9 (largest loss error "
                      f"{worst[0]:.1e}, gradient {worst[1]:.1e})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
