#!/usr/bin/env python3
"""A few steps of a small PyTorch CNN, logged as a marginal run folder: the smallest complete use
of marginal_torch (a loss of docs/CONVENTIONS.md, SplitMeter's metrics, RunLogger's files).

    python python/examples/tiny_run.py --runs-dir runs --name torch-tiny --loss ce_l1 --steps 30
    marginal runs                       # lists torch-tiny beside marginal's own runs
    tensorboard --logdir runs           # the same scalars, under docs/TENSORBOARD.md's tags

The data: gray images of bright discs ("lesion") on a noisy background, drawn from --seed and
saved as a folder:PATH PNG set (DATA/images/*.png, DATA/masks/*.png), which config.json names,
so `marginal train --dataset folder:DATA` can train on the same pictures. The first 80 % are
trained on, the rest validated on.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import marginal_torch as mt  # noqa: E402
from marginal_torch.png import gray_png, palette_png  # noqa: E402
from marginal_torch.runlog import write_atomically  # noqa: E402


def draw(count, size, generator):
    """Images (count x 1 x size x size, standardised) and masks (count x size x size, 0/1)."""
    ys, xs = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    images, masks = [], []
    for _ in range(count):
        mask = torch.zeros(size, size, dtype=torch.long)
        for _ in range(int(torch.randint(1, 3, (1,), generator=generator))):
            cy, cx = (torch.rand(2, generator=generator) * size).tolist()
            radius = 2 + float(torch.rand(1, generator=generator)) * size / 8
            mask[(ys - cy) ** 2 + (xs - cx) ** 2 <= radius ** 2] = 1
        picture = 0.3 + 0.5 * mask.float() + 0.15 * torch.randn(size, size, generator=generator)
        images.append(picture.clamp(0, 1))
        masks.append(mask)
    return torch.stack(images).unsqueeze(1), torch.stack(masks)


def save_folder_set(folder, images, masks):
    for sub in ("images", "masks"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    for i, (image, mask) in enumerate(zip(images, masks)):
        write_atomically(os.path.join(folder, "images", f"{i:03d}.png"), gray_png((image[0] * 255).round().int().tolist()))
        write_atomically(os.path.join(folder, "masks", f"{i:03d}.png"), palette_png(mask.tolist()))


def standardise(images):
    mean = images.mean((1, 2, 3), keepdim=True)
    return (images - mean) / images.std((1, 2, 3), keepdim=True).clamp_min(1e-6)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs-dir", default="runs")
    parser.add_argument("--name", required=True)
    parser.add_argument("--data", help="where to save the drawn PNG set (default: RUNS_DIR/.data-NAME)")
    parser.add_argument("--loss", default="ce_l1", choices=list(mt.LOSSES))
    parser.add_argument("--lambda", dest="lam", type=float)
    parser.add_argument("--tau", type=float, default=mt.DEFAULT_TAU)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--eval-every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=32)
    options = parser.parse_args()
    torch.manual_seed(options.seed)
    torch.set_num_threads(1)

    generator = torch.Generator().manual_seed(options.seed)
    images, masks = draw(20, options.size, generator)
    data = os.path.abspath(options.data or os.path.join(options.runs_dir, f".data-{options.name}"))
    os.makedirs(os.path.abspath(options.runs_dir), exist_ok=True)
    save_folder_set(data, images, masks)
    images = standardise(images)
    cut = int(0.8 * len(images))
    train, validation = (images[:cut], masks[:cut]), (images[cut:], masks[cut:])

    width = 8
    model = torch.nn.Sequential(torch.nn.Conv2d(1, width, 3, padding=1), torch.nn.ReLU(),
                                torch.nn.Conv2d(width, width, 3, padding=1), torch.nn.ReLU(),
                                torch.nn.Conv2d(width, 2, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=options.lr)
    config = {"dataset": f"folder:{data}", "loss": options.loss, "tau": options.tau, "steps": options.steps,
              "batch": options.batch, "lr": options.lr, "optimizer": "adam", "seed": options.seed,
              "width": width, "eval_every": options.eval_every, "threads": 1, "patience": 5,
              "class_names": ["background", "lesion"], "model": "3-layer CNN (python/examples/tiny_run.py)"}
    if options.lam is not None:
        config["lambda"] = options.lam
    logger = mt.RunLogger(options.runs_dir, options.name, config)
    best = None
    try:
        for step in range(1, options.steps + 1):
            index = torch.randint(0, cut, (options.batch,), generator=generator)
            logits = model(train[0][index])
            loss = mt.loss(options.loss, logits, train[1][index], lam=options.lam, tau=options.tau)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            epoch = step * options.batch / cut
            if step % 10 == 0 or step == 1 or step == options.steps:
                with torch.no_grad():
                    ce = mt.cross_entropy(logits, train[1][index])
                logger.log_train(step, epoch, options.lr, loss.item(), ce.item())
            if step % options.eval_every == 0 or step == options.steps:
                model.eval()
                with torch.no_grad():
                    logits = model(validation[0])
                    meter = mt.SplitMeter(classes=2, tau=options.tau)
                    meter.add(logits, validation[1])
                    value = mt.loss(options.loss, logits, validation[1], lam=options.lam, tau=options.tau)
                model.train()
                result = meter.result(loss=value.item())
                logger.log_eval(step, epoch, result)
                if result.get("miou") is not None and (best is None or result["miou"] > best):
                    best = result["miou"]
                logger.preview(validation[1][0], logits[0].argmax(0))
                logger.save_checkpoint(step, epoch, options.lr, best_miou=best, state=model.state_dict())
        logger.finish("done")
    except KeyboardInterrupt:
        logger.finish("stopped")
    except Exception as error:
        logger.fail(f"{type(error).__name__}: {error}")
        raise
    print(f"{logger.folder}: {options.steps} steps, best validation mIoU "
          + ("–" if best is None else f"{100 * best:.1f}%"))


if __name__ == "__main__":
    main()
