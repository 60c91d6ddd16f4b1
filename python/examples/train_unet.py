#!/usr/bin/env python3
"""Trains MarginalEngine's UNet-S in PyTorch with any loss of marginal_torch on a folder:PATH set,
in one process or under torchrun (DDP), writing a marginal run folder that `marginal runs`, the
TUI and TensorBoard read like a run of `marginal train`.

    python python/examples/train_unet.py --dataset folder:DATA --loss ce_l1 --steps 400 --run torch-l1
    torchrun --nproc-per-node 2 python/examples/train_unet.py -- --dataset folder:DATA --loss ce_l1 --run ddp-l1

(Under torchrun, the `--` after the script keeps torchrun's own parser off the script's options:
it would refuse `--run` as an ambiguous abbreviation of its `--run-path`. torchrun drops the `--`;
a leading `--` given to the script itself is dropped too.)

The options and their defaults are `marginal train`'s (Sources/marginal/TrainCommand.swift); the
training is marginal's (Trainer.swift), step for step:

- the network and its initial weights: marginal_torch.UNetS, drawn from --seed as marginal draws them;
- the data: marginal_torch.FolderDataset, marginal's split of the folder (or its dataset.json's);
- step n (1, 2, …) trains on BatchOrder(train, --batch, --seed).indices(n), a seeded permutation
  per epoch; under torchrun with N processes, rank r takes the r-th of N equal slices of that same
  global batch, so 1 and N processes see the same images at every step. DDP averages the ranks'
  gradients: the gradient of the mean of the ranks' losses, which is the global batch's loss for
  every per-image mean (the marginal penalties, generalised Dice) and for CE and focal when the
  slices hold equally many valid pixels; batch-level Dice is measured per slice;
- Adam (PyTorch's defaults) with marginal's ReduceOnPlateau on the validation loss (halving after
  --patience evaluations without a new best), or SGD (momentum 0.9, weight decay 1e-4, η(1 − t/T)^0.9);
- a `train` line at steps 1, every 10th and the last (the loss before the update, averaged over
  the ranks), an `eval` line every --eval-every steps and at the last: rank 0 evaluates the
  validation split in batches of --batch, writes preview.png and the checkpoint
  (checkpoint.json, checkpoint.pt: model and optimiser state) and prints one line on stdout.

Stopping: SIGINT or SIGTERM on any rank sets a flag; before every step the ranks all-reduce it
(MAX), so all stop after the same step; rank 0 saves the checkpoint and writes status "stopped";
every rank leaves the process group and exits 0. `marginal` stops a run by sending SIGINT to the
process group in status.json ("process_group": the launcher's, torchrun's under torchrun, whose
workers each run in a session of their own): torchrun's agent passes the signal on to every worker
(and kills them if they have not exited 30 s later; saving takes well under that).

Bad input (an option out of range, an unknown loss, a missing or malformed folder, --batch not a
multiple of the process count, an existing run): one line on stderr, exit status 2 (printed by
rank 0; under torchrun, torchrun reports the failed workers after it and exits 1).
"""
import argparse
import math
import os
import signal
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import marginal_torch as mt  # noqa: E402
from marginal_torch.folder import FolderDataset  # noqa: E402
from marginal_torch.plateau import ReduceOnPlateau  # noqa: E402
from marginal_torch.seeded import BatchOrder  # noqa: E402
from marginal_torch.unet import UNetS  # noqa: E402

WORLD = int(os.environ.get("WORLD_SIZE", "1"))
RANK = int(os.environ.get("RANK", "0"))
LOCAL_RANK = int(os.environ.get("LOCAL_RANK", "0"))
#: torchrun sets this for its workers (whose parent is the torchrun launcher).
UNDER_TORCHRUN = "TORCHELASTIC_RUN_ID" in os.environ


class BadInput(Exception):
    """A problem with the command line or the data: one line, exit status 2."""


def refuse(message):
    if RANK == 0:
        print(f"train_unet: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line (the option and the problem) and exit status 2."""

    def error(self, message):
        refuse(message)


def parse(arguments):
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    parser = OneLineParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="lesions", help="folder:PATH (export a built-in set with marginal dataset export)")
    parser.add_argument("--loss", default="ce", help=f"one of {', '.join(mt.LOSSES)}")
    parser.add_argument("--lambda", dest="lam", type=float, help="λ of a composite loss (default: the loss's own)")
    parser.add_argument("--tau", type=float, default=mt.DEFAULT_TAU, help="temperature τ of p̂ in the penalties")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--batch", type=int, default=8, help="images per step, over all processes")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--optimizer", default="adam", choices=["adam", "sgd"])
    parser.add_argument("--seed", type=int, default=1, help="seed of the split, the initialisation and the batch order")
    parser.add_argument("--width", type=int, default=16, help="UNet-S width w")
    parser.add_argument("--eval-every", type=int, default=100)
    parser.add_argument("--patience", type=int, default=5)
    parser.add_argument("--threads", type=int, help="threads per process (default: the cores / the processes)")
    parser.add_argument("--runs-dir", default="runs")
    parser.add_argument("--run", help="run name (default: <folder name>-<loss>-<seed>)")
    options = parser.parse_args(arguments)
    for name in ("steps", "batch", "width", "eval_every", "patience"):
        if getattr(options, name) < 1:
            raise BadInput(f"--{name.replace('_', '-')} {getattr(options, name)}: must be at least 1")
    if options.threads is not None and options.threads < 1:
        raise BadInput(f"--threads {options.threads}: must be at least 1")
    if not (math.isfinite(options.lr) and options.lr > 0):
        raise BadInput(f"--lr {options.lr}: must be a positive number")
    if not (math.isfinite(options.tau) and options.tau > 0):
        raise BadInput(f"--tau {options.tau}: must be a positive number")
    if options.lam is not None and not (math.isfinite(options.lam) and options.lam >= 0):
        raise BadInput(f"--lambda {options.lam}: must be a number ≥ 0")
    if options.seed < 0:
        raise BadInput(f"--seed {options.seed}: must be ≥ 0")
    if options.loss not in mt.LOSSES:
        raise BadInput(f"--loss {options.loss}: unknown; choose one of {', '.join(mt.LOSSES)}")
    if options.lam is not None and mt.default_lambda(options.loss) is None:
        raise BadInput(f"--lambda with --loss {options.loss}: this loss has no λ")
    if options.batch % WORLD:
        raise BadInput(f"--batch {options.batch}: not a multiple of the {WORLD} processes (each takes an equal share)")
    if not options.dataset.startswith("folder:"):
        raise BadInput(f"--dataset {options.dataset}: train_unet.py reads folder:PATH sets; write one with "
                       f"marginal dataset export --dataset {options.dataset} --out DIR, then --dataset folder:DIR")
    options.data = os.path.abspath(os.path.expanduser(options.dataset[len("folder:"):]))
    options.run = options.run or f"{os.path.basename(options.data)}-{options.loss}-{options.seed}"
    if not options.run or "/" in options.run or options.run in (".", ".."):
        raise BadInput(f"--run {options.run}: a run name is one folder name, without '/'")
    runs_dir = os.path.abspath(options.runs_dir)
    if not os.path.isdir(runs_dir) and not os.path.isdir(os.path.dirname(runs_dir)):
        raise BadInput(f"--runs-dir {options.runs_dir}: its folder {os.path.dirname(runs_dir)} does not exist")
    if os.path.exists(os.path.join(runs_dir, options.run)):
        raise BadInput(f"{os.path.join(runs_dir, options.run)}: a run with this name exists; pick another --run")
    options.threads = options.threads or max(1, (os.cpu_count() or 1) // WORLD)
    return options


class StopFlag:
    """Set by SIGINT or SIGTERM (the handler only sets it; the loop looks at step boundaries).
    The signals are unblocked too, as marginal's installStopHandlers does: a process inherits its
    parent's signal mask, and some launchers (test runners, supervisors) block them."""

    def __init__(self):
        self.requested = False
        self.parent = os.getppid()
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self._handle)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})

    def _handle(self, number, frame):
        self.requested = True

    def agreed(self, distributed, device):
        """Whether any rank has been asked to stop (an all-reduce MAX of the flags under DDP). A
        worker whose torchrun launcher is gone (killed outright: its workers, each in a session of
        its own, live on) stops as if signalled."""
        if UNDER_TORCHRUN and os.getppid() != self.parent:
            self.requested = True
        if not distributed:
            return self.requested
        flag = torch.tensor([1.0 if self.requested else 0.0], device=device)
        torch.distributed.all_reduce(flag, op=torch.distributed.ReduceOp.MAX)
        return bool(flag.item() > 0)


def preview_index(validation):
    """marginal's previewSample: of the first 16 validation images, the first with the most
    foreground (labels neither 0 nor 255)."""
    counts = [int(((mask != 0) & (mask != 255)).sum()) for mask in validation.masks[:16]]
    return counts.index(max(counts))


@torch.no_grad()
def evaluate(model, split, options, device):
    """marginal's evaluate: the split in batches of --batch; the run's loss averaged over the
    batches that have a valid pixel; IoU, Dice and proportions from SplitMeter."""
    model.eval()
    meter = mt.SplitMeter(classes=model.classes, tau=options.tau)
    total, batches = 0.0, 0
    for start in range(0, len(split), options.batch):
        images = split.images[start:start + options.batch].to(device)
        labels = split.masks[start:start + options.batch].to(device)
        if not (labels != mt.IGNORE_INDEX).any():
            continue
        logits = model(images)
        total += float(mt.loss(options.loss, logits, labels, lam=options.lam, tau=options.tau))
        batches += 1
        meter.add(logits, labels)
    model.train()
    return meter.result(loss=total / batches if batches else float("nan"))


def make_optimizer(model, options):
    if options.optimizer == "adam":
        return torch.optim.Adam(model.parameters(), lr=options.lr)
    return torch.optim.SGD(model.parameters(), lr=options.lr, momentum=0.9, weight_decay=1e-4)


def polynomial_factor(update, total, power=0.9):
    """SGD's decay for the update-th update (0-based): (1 − t/T)^0.9, 0 from T on."""
    return 0.0 if update >= total else (1 - update / total) ** power


def next_rate(options, lr, step):
    """The learning rate of the update after `step`: Adam's (as the plateau rule left it), or
    SGD's decayed one."""
    return options.lr * polynomial_factor(step, options.steps) if options.optimizer == "sgd" else lr


def main(arguments):
    stop = StopFlag()
    try:
        options = parse(arguments)
        dataset = FolderDataset(options.data, seed=options.seed)
        if mt.is_binary_only(options.loss) and dataset.classes != 2:
            raise BadInput(f"--loss {options.loss}: binary only (K = 2), but {options.dataset} has {dataset.classes} classes")
        if dataset.height % 4 or dataset.width % 4:
            raise BadInput(f"{options.dataset}: UNet-S needs a height and width that are multiples of 4, "
                           f"the images are {dataset.width} x {dataset.height}")
    except (BadInput, ValueError) as error:
        refuse(str(error))

    torch.set_num_threads(options.threads)
    distributed = WORLD > 1
    device = torch.device("cpu")
    if distributed:
        if torch.cuda.is_available():
            device = torch.device("cuda", LOCAL_RANK)
            torch.cuda.set_device(device)
        torch.distributed.init_process_group("nccl" if device.type == "cuda" else "gloo")
    elif torch.cuda.is_available():
        device = torch.device("cuda")

    torch.manual_seed(options.seed)
    network = UNetS(dataset.channels, dataset.classes, options.width, seed=options.seed).to(device)
    model = torch.nn.parallel.DistributedDataParallel(network, device_ids=[device] if device.type == "cuda" else None) \
        if distributed else network
    optimizer = make_optimizer(network, options)
    plateau = ReduceOnPlateau(options.patience)
    order = BatchOrder(len(dataset.train), options.batch, options.seed)
    share = options.batch // WORLD
    lr = options.lr

    logger = None
    if RANK == 0:
        config = {"dataset": f"folder:{options.data}", "loss": options.loss, "tau": options.tau, "steps": options.steps,
                  "batch": options.batch, "lr": options.lr, "optimizer": options.optimizer, "seed": options.seed,
                  "width": options.width, "eval_every": options.eval_every, "threads": options.threads,
                  "patience": options.patience, "class_names": dataset.class_names, "engine": "pytorch",
                  "processes": WORLD, "model": "UNet-S (marginal_torch.UNetS)"}
        if options.lam is not None:
            config["lambda"] = options.lam
        # What `marginal` signals to stop the run: the launcher and its process group. torchrun
        # starts each worker in a session of its own and passes SIGINT/SIGTERM on to them.
        launcher = os.getppid() if UNDER_TORCHRUN else os.getpid()
        status = {"engine": "pytorch", "pid": launcher, "process_group": os.getpgid(launcher)}
        try:
            logger = mt.RunLogger(options.runs_dir, options.run, config, status_fields=status)
        except (ValueError, OSError) as error:
            # Every rank learns of it at the first stop-flag all-reduce below.
            print(f"train_unet: {error}", file=sys.stderr, flush=True)
            stop.requested = True

    step, epoch, best = 0, 0.0, None
    previewed = preview_index(dataset.validation)
    try:
        while step < options.steps:
            if stop.agreed(distributed, device):
                break
            n = step + 1
            chosen = order.indices(n)[RANK * share:(RANK + 1) * share]
            images, labels = dataset.train.images[chosen].to(device), dataset.train.masks[chosen].to(device)
            if options.optimizer == "sgd":
                for group in optimizer.param_groups:
                    group["lr"] = options.lr * polynomial_factor(n - 1, options.steps)
            logits = model(images)
            loss = mt.loss(options.loss, logits, labels, lam=options.lam, tau=options.tau)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step, epoch = n, n * options.batch / len(dataset.train)
            if n % 10 == 0 or n == 1 or n == options.steps:
                with torch.no_grad():
                    terms = dict((term, weight) for weight, term in mt.terms_of(options.loss, options.lam))
                    ce = mt.cross_entropy(logits, labels) * terms["ce"] if "ce" in terms else torch.zeros(())
                    values = torch.stack([loss.detach(), ce.to(loss.device)]).double()
                if distributed:
                    torch.distributed.all_reduce(values)
                    values /= WORLD
                if logger:
                    # The rate of the next update, as marginal logs it (SGD's decay has moved on).
                    logger.log_train(n, epoch, next_rate(options, lr, n), float(values[0]), float(values[1]))
            if n % options.eval_every == 0 or n == options.steps:
                if logger:
                    result = evaluate(network, dataset.validation, options, device)
                    logger.log_eval(n, epoch, result)
                    with torch.no_grad():
                        image = dataset.validation.images[previewed:previewed + 1].to(device)
                        logger.preview(dataset.validation.masks[previewed], network(image)[0].argmax(0).cpu())
                    if result.get("miou") is not None and (best is None or result["miou"] > best):
                        best = result["miou"]
                    if options.optimizer == "adam":
                        lr *= plateau.record(result["loss"])
                    else:
                        plateau.record(result["loss"])
                    logger.save_checkpoint(n, epoch, lr, best_miou=best, state=checkpoint_state(network, optimizer, n),
                                           plateau=plateau.state())
                    miou = "–" if result.get("miou") is None else f"{100 * result['miou']:.1f}%"
                    print(f"step {n}/{options.steps} epoch {epoch:.2f} validation loss {result['loss']:.4f} "
                          f"mIoU {miou} lr {next_rate(options, lr, n):.3g}", flush=True)
                if options.optimizer == "adam":
                    # The plateau rule ran on rank 0: every rank takes its learning rate.
                    if distributed:
                        shared = torch.tensor([lr], dtype=torch.float64, device=device)
                        torch.distributed.broadcast(shared, 0)
                        lr = float(shared.item())
                    for group in optimizer.param_groups:
                        group["lr"] = lr
        if logger:
            logger.save_checkpoint(step, epoch, lr, best_miou=best, state=checkpoint_state(network, optimizer, step),
                                   plateau=plateau.state())
            finished = step >= options.steps
            logger.finish("done" if finished else "stopped", step=step)
            print(f"{logger.folder}: {'done' if finished else 'stopped'} at step {step}", flush=True)
    except Exception as error:
        if logger:
            logger.fail(f"{type(error).__name__}: {error}")
        print(f"train_unet: rank {RANK}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        if distributed:
            torch.distributed.destroy_process_group()
        sys.exit(1)
    if distributed:
        torch.distributed.destroy_process_group()
    if RANK == 0 and logger is None:
        sys.exit(2)


def checkpoint_state(network, optimizer, step):
    """checkpoint.pt: the network's and the optimiser's state dicts and the step."""
    return {"model": network.state_dict(), "optimizer": optimizer.state_dict(), "step": step}


if __name__ == "__main__":
    main(sys.argv[1:])
