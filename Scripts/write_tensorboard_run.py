#!/usr/bin/env python3
"""Writes a TensorBoard run under marginal's tag convention (docs/TENSORBOARD.md) with
TensorBoard's own EventFileWriter, the writer PyTorch's SummaryWriter goes through.

    python3 Scripts/write_tensorboard_run.py LOGDIR/RUN --records 100000
    python3 Scripts/write_tensorboard_run.py LOGDIR/RUN --records 60 --interval 0.25

Each record is one event at the next step: a train event (loss, ce, reg, lr, and a tag of its own
outside the convention, train/grad_norm, which marginal draws as a plain chart) at every step,
and, every --eval-every steps, an evaluation event in its own record (miou, iou/<class>,
proportion/target|soft|hard/<class>) for the classes background and lesion. With --interval,
it sleeps that many seconds after each record and flushes, so a reader sees the file grow
(the end-to-end tests and a live demo); without, it writes as fast as it can (the benchmark
file of `marginal bench tui --runs-dir`).
"""
import argparse
import math
import time

from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.summary.writer.event_file_writer import EventFileWriter

CLASSES = ["background", "lesion"]


def event(step, scalars):
    return Event(wall_time=time.time(), step=step,
                 summary=Summary(value=[Summary.Value(tag=tag, simple_value=value) for tag, value in scalars]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="the run's folder (created)")
    parser.add_argument("--records", type=int, default=1000, help="events to write after the file version")
    parser.add_argument("--eval-every", type=int, default=10, help="steps between evaluations")
    parser.add_argument("--interval", type=float, default=0.0, help="seconds to sleep after each record")
    args = parser.parse_args()
    writer = EventFileWriter(args.run, max_queue_size=1000, flush_secs=1)
    step, written = 0, 0
    while written < args.records:
        step += 1
        loss = 1.0 / math.sqrt(step)
        records = [[("loss", loss), ("ce", 0.8 * loss), ("reg", 0.2 * loss), ("lr", 1e-3), ("train/grad_norm", 2.0 * loss)]]
        if step % args.eval_every == 0:
            lesion = min(0.9, step / (step + 50.0))
            scalars = [("miou", (0.98 + lesion) / 2), ("iou/background", 0.98), ("iou/lesion", lesion)]
            for name, target, soft in [("background", 0.97, 0.975 - 0.005 * lesion), ("lesion", 0.03, 0.025 + 0.005 * lesion)]:
                scalars += [("proportion/target/" + name, target), ("proportion/soft/" + name, soft),
                            ("proportion/hard/" + name, soft)]
            records.append(scalars)
        for scalars in records[: args.records - written]:
            writer.add_event(event(step, scalars))
            written += 1
            if args.interval > 0:
                writer.flush()
                time.sleep(args.interval)
    writer.close()


if __name__ == "__main__":
    main()
