#!/usr/bin/env python3
"""Times marginal_torch's losses against the plain PyTorch expression of the same loss, written
as the authors write theirs (one-hot targets, softmax, means over H x W), value + gradient.

    python python/bench/bench_losses.py [--threads 2] [--repeats 20] [--shape 2,19,256,256]

Both sides see the same logits and labels (10 % ignored pixels, which the plain expressions mask
the same way); they are checked to agree to 1e-9 (float64) before they are timed in float32.
Runs alternate (companion, plain, companion, …) so that a busy machine slows both alike; prints
the median milliseconds of each and their ratio, the companion's time over the plain one's
(the target: at most 1.5).
"""
import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import marginal_torch as mt  # noqa: E402

TAU, EPS = 10.0, 1e-10


def plain_parts(z, y):
    """Valid mask (B x 1 x H x W), one-hot target (B x K x H x W, 0 at ignored pixels), |V_b|."""
    valid = (y != 255).unsqueeze(1).to(z.dtype)
    onehot = F.one_hot(torch.where(y == 255, 0, y), z.shape[1]).permute(0, 3, 1, 2).to(z.dtype) * valid
    return valid, onehot, valid.sum((2, 3))


def plain_marginals(z, y, tau=TAU):
    valid, onehot, n = plain_parts(z, y)
    phat = (F.softmax(tau * z, 1) * valid).sum((2, 3)) / n
    yhat = onehot.sum((2, 3)) / n
    return phat, yhat


def plain_ce(z, y):
    return F.cross_entropy(z, y, ignore_index=255)


def plain_ce_l1(z, y):
    phat, yhat = plain_marginals(z, y)
    return plain_ce(z, y) + (phat - yhat).abs().mean()


def plain_ce_kl(z, y):
    phat, yhat = plain_marginals(z, y)
    kl = torch.where(yhat > 0, yhat * torch.log((yhat + EPS) / (phat + EPS)), torch.zeros_like(yhat))
    return plain_ce(z, y) + 0.1 * kl.sum(1).mean()


def plain_ce_db(z, y):
    phat, yhat = plain_marginals(z, y)
    return plain_ce(z, y) + 0.1 * torch.log(phat + yhat + EPS).mean()


def plain_dice(z, y):
    """segmentation_models_pytorch 0.2.1 DiceLoss (multiclass, smooth 0, eps 1e-7), with ignore."""
    valid, onehot, _ = plain_parts(z, y)
    p = F.softmax(z, 1) * valid
    intersection = (p * onehot).sum((0, 2, 3))
    cardinality = (p + onehot).sum((0, 2, 3))
    d = 2 * intersection / cardinality.clamp_min(1e-7)
    present = onehot.sum((0, 2, 3)) > 0
    return ((1 - d) * present).mean()


def plain_dice_ce(z, y):
    return plain_ce(z, y) + 0.1 * plain_dice(z, y)


def plain_focal(z, y):
    logp = F.log_softmax(z, 1).gather(1, torch.where(y == 255, 0, y).unsqueeze(1)).squeeze(1)
    valid = y != 255
    return (-(1 - logp.exp()) ** 2 * logp)[valid].mean()


PAIRS = {"ce": plain_ce, "focal": plain_focal, "dice": plain_dice, "dice_ce": plain_dice_ce,
         "ce_db": plain_ce_db, "ce_kl": plain_ce_kl, "ce_l1": plain_ce_l1}


def time_once(function, z, y):
    z.grad = None
    start = time.perf_counter()
    function(z, y).backward()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--shape", default="2,19,256,256", help="B,K,H,W")
    options = parser.parse_args()
    torch.set_num_threads(options.threads)
    b, k, h, w = (int(v) for v in options.shape.split(","))
    generator = torch.Generator().manual_seed(0)
    z64 = torch.randn(b, k, h, w, generator=generator, dtype=torch.float64)
    y = torch.randint(0, k, (b, h, w), generator=generator)
    y[torch.rand(b, h, w, generator=generator) < 0.1] = 255

    for name, plain in PAIRS.items():
        mine, theirs = mt.loss(name, z64, y).item(), plain(z64, y).item()
        if abs(mine - theirs) > 1e-9 * abs(theirs):
            sys.exit(f"{name}: the companion gives {mine!r}, the plain expression {theirs!r}: not the same loss")

    z = z64.float().requires_grad_()
    print(f"value + gradient, float32, B={b} K={k} {h}x{w}, {options.threads} threads, median of {options.repeats}")
    print(f"{'loss':10} {'companion ms':>13} {'plain ms':>9} {'ratio':>6}")
    worst = 0.0
    for name, plain in PAIRS.items():
        companion = lambda z, y, name=name: mt.loss(name, z, y)  # noqa: E731
        for _ in range(3):
            time_once(companion, z, y), time_once(plain, z, y)
        ours, reference = [], []
        for _ in range(options.repeats):
            ours.append(time_once(companion, z, y))
            reference.append(time_once(plain, z, y))
        a, c = statistics.median(ours) * 1e3, statistics.median(reference) * 1e3
        worst = max(worst, a / c)
        print(f"{name:10} {a:13.2f} {c:9.2f} {a / c:6.2f}")
    print(f"largest ratio {worst:.2f} (target ≤ 1.5)")


if __name__ == "__main__":
    main()
