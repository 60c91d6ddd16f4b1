"""A marginal run folder written from PyTorch, so that `marginal runs`, `runs compare` and the
TUI's Runs screen list and monitor a PyTorch run like one of marginal's own (the schema is
MarginalRuns' RunDirectory, RunStatus, RunConfiguration and EvaluationResult; docs/ARCHITECTURE.md
"Training runs"), plus TensorBoard event files under the tag convention of docs/TENSORBOARD.md.

    runs/<name>/status.json       {"status": "running"|"done"|"stopped"|"failed", "pid", "step", "error"}
                                  (+ the logger's status_fields, e.g. "engine", "process_group")
    runs/<name>/config.json       the run's configuration (+ "engine": "pytorch" and "processes")
    runs/<name>/metrics.jsonl     {"type":"train", step, epoch, time, lr, loss, ce, reg}
                                  {"type":"eval", step, epoch, time, iou, miou, dice, pred_proportion,
                                   tempered_proportion, hard_proportion, target_proportion, loss[, hd95, nsd]}
    runs/<name>/checkpoint.json   {step, epoch, lr, best_miou, plateau}; the weights in checkpoint.pt
    runs/<name>/preview.png       one validation image: truth | prediction, a palette PNG of class ids
    runs/<name>/events.out.tfevents.*   the same scalars, and config.json as the text summary `config`
    runs/<name>/.lock             flock'ed while the logger lives (how marginal tells a live run)

Every file but metrics.jsonl is replaced atomically; each metrics line is one write(2).
"""
import fcntl
import json
import math
import os
import tempfile
import time

from .png import palette_png

STATUSES = ("running", "done", "stopped", "failed")
CONFIG_KEYS = ("dataset", "loss", "tau", "steps", "batch", "lr", "optimizer", "seed", "width",
               "eval_every", "threads", "patience")


def write_atomically(path, data):
    """Writes `data` (bytes) to `path` whole or not at all: a hidden temporary file in the same
    folder, renamed over the target."""
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _json_bytes(value, pretty=True):
    """JSON as marginal writes it: sorted keys; NaN and infinities refused (JSON has none)."""
    text = json.dumps(value, sort_keys=True, allow_nan=False, indent=2 if pretty else None,
                      separators=None if pretty else (",", ":"))
    return (text + "\n").encode()


def _class_name(names, k):
    return names[k] if k < len(names) else f"class{k}"


def train_scalars(line):
    """A train line's TensorBoard scalars (docs/TENSORBOARD.md): loss, ce, reg, lr, epoch."""
    return [(tag, line[tag]) for tag in ("loss", "ce", "reg", "lr", "epoch")]


def eval_scalars(line, class_names):
    """An eval line's scalars: miou, validation/loss, iou/<c>, dice/<c> where defined, the four
    proportions, hd95 and nsd where computed (MarginalRuns' TensorBoardTags, the same order)."""
    scalars = []
    if line.get("miou") is not None:
        scalars.append(("miou", line["miou"]))
    scalars.append(("validation/loss", line["loss"]))
    for key in ("iou", "dice"):
        scalars += [(f"{key}/{_class_name(class_names, k)}", v) for k, v in enumerate(line[key]) if v is not None]
    for kind, key in (("target", "target_proportion"), ("soft", "pred_proportion"),
                      ("tau", "tempered_proportion"), ("hard", "hard_proportion")):
        scalars += [(f"proportion/{kind}/{_class_name(class_names, k)}", v) for k, v in enumerate(line.get(key) or [])]
    for key in ("hd95", "nsd"):
        if line.get(key) is not None:
            scalars.append((key, line[key]))
    return scalars


class RunLogger:
    """Writes one run folder. Only one process should hold a logger (rank 0 under DDP).

        logger = RunLogger("runs", "torch-l1", config)   # config: dict with CONFIG_KEYS, class_names
        logger.log_train(step, epoch, lr, loss, ce)       # reg = loss - ce
        logger.log_eval(step, epoch, meter.result(loss=validation_loss))
        logger.save_checkpoint(step, epoch, lr, state=model.state_dict())
        logger.preview(truth_rows, prediction_rows)
        logger.finish("done")                             # or "stopped", or fail(error)
    """

    def __init__(self, runs_dir, name, config, tensorboard=True, status_fields=None):
        """`status_fields`: more keys for every status.json (e.g. the engine, the process group to
        signal); a "pid" among them replaces this process's while the run is running (the
        launcher's, under torchrun)."""
        self.status_fields = dict(status_fields or {})
        if not name or "/" in name or name in (".", ".."):
            raise ValueError(f"run name '{name}': a run name is one folder name, without '/'")
        missing = [key for key in CONFIG_KEYS if key not in config]
        if missing:
            raise ValueError(f"config: missing {', '.join(missing)} (config.json needs {', '.join(CONFIG_KEYS)})")
        runs_dir = os.path.abspath(runs_dir)
        if not os.path.isdir(runs_dir):
            # The runs folder may be made, never the folders above it (CONVENTIONS "Outputs").
            if not os.path.isdir(os.path.dirname(runs_dir)):
                raise ValueError(f"{runs_dir}: its folder does not exist")
            os.makedirs(runs_dir, exist_ok=True)
        self.folder = os.path.join(runs_dir, name)
        if os.path.exists(self.folder):
            raise ValueError(f"{self.folder}: a run with this name exists; pick another name")
        os.mkdir(self.folder)
        self._lock = os.open(os.path.join(self.folder, ".lock"), os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o644)
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.started = time.monotonic()
        self.step = 0
        # The status first: a reader lists a folder once its config.json exists, and then finds
        # it running, never without a status.
        self._write_status("running", 0)
        self.config = dict(config)
        self.config.setdefault("engine", "pytorch")
        if str(self.config["dataset"]).startswith("folder:"):
            self.config.pop("size", None)  # a folder set keeps its own image size
        self.class_names = list(self.config.get("class_names") or [])
        write_atomically(self.path("config.json"), _json_bytes(self.config))
        self.writer = None
        if tensorboard:
            from torch.utils.tensorboard import SummaryWriter
            self.writer = SummaryWriter(log_dir=self.folder)
            self._write_config_text()

    def path(self, name):
        return os.path.join(self.folder, name)

    def _write_status(self, status, step, error=None):
        if status not in STATUSES:
            raise ValueError(f"status '{status}': not one of {', '.join(STATUSES)}")
        value = {"status": status, "step": int(step)}
        extra = dict(self.status_fields)
        pid = extra.pop("pid", os.getpid())
        value.update(extra)
        if status == "running":
            value["pid"] = int(pid)
        if error is not None:
            value["error"] = str(error)
        write_atomically(self.path("status.json"), _json_bytes(value))

    def _write_config_text(self):
        """config.json as Markdown (an indented code block) under the tag `config`: a string
        tensor of shape [1] under the "text" plugin (add_text would name it config/text_summary)."""
        from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboard.compat.proto.tensor_pb2 import TensorProto
        from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto
        text = "\n".join("    " + line for line in json.dumps(self.config, indent=2, sort_keys=True).split("\n"))
        tensor = TensorProto(dtype="DT_STRING", string_val=[text.encode()],
                             tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]))
        metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
        summary = Summary(value=[Summary.Value(tag="config", metadata=metadata, tensor=tensor)])
        self.writer._get_file_writer().add_summary(summary, 0)
        self.writer.flush()

    def elapsed(self):
        """Seconds of training so far (metrics.jsonl's `time`)."""
        return time.monotonic() - self.started

    def _append(self, line):
        data = _json_bytes(line, pretty=False)
        descriptor = os.open(self.path("metrics.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(descriptor, data)
            if written != len(data):
                raise OSError(f"{self.path('metrics.jsonl')}: short write ({written} of {len(data)} bytes)")
        finally:
            os.close(descriptor)

    def _scalars(self, scalars, step):
        if self.writer is None:
            return
        wall = time.time()
        for tag, value in scalars:
            self.writer.add_scalar(tag, value, step, walltime=wall)
        self.writer.flush()

    def log_train(self, step, epoch, lr, loss, ce, time=None):
        """A `train` line: loss and its CE part (reg = loss − ce)."""
        line = {"type": "train", "step": int(step), "epoch": float(epoch),
                "time": self.elapsed() if time is None else float(time), "lr": float(lr),
                "loss": float(loss), "ce": float(ce), "reg": float(loss) - float(ce)}
        self._append(line)
        self._scalars(train_scalars(line), line["step"])
        self._progress(step)
        return line

    def log_eval(self, step, epoch, result, time=None):
        """An `eval` line from `SplitMeter.result(...)` (EvaluationResult's keys)."""
        for key in ("iou", "dice", "pred_proportion", "hard_proportion", "target_proportion", "loss"):
            if key not in result:
                raise ValueError(f"an eval line needs '{key}'")
        if not math.isfinite(result["loss"]):
            raise ValueError(f"validation loss {result['loss']}: not a finite number")
        line = {"type": "eval", "step": int(step), "epoch": float(epoch),
                "time": self.elapsed() if time is None else float(time)}
        line.update({key: value for key, value in result.items() if value is not None})
        self._append(line)
        self._scalars(eval_scalars(line, self.class_names), line["step"])
        self._progress(step)
        return line

    def _progress(self, step):
        """The last step logged (status.json says it at the end; readers take the metrics' last)."""
        self.step = max(self.step, int(step))

    def save_checkpoint(self, step, epoch, lr, best_miou=None, state=None, plateau=None):
        """checkpoint.json (MarginalEngine's CheckpointInfo keys) and, with `state`, checkpoint.pt.
        `plateau`: the learning-rate rule's state; by default a fresh ReduceOnPlateau of the
        config's patience (factor 0.5, threshold 1e-4)."""
        if state is not None:
            import io
            import torch
            buffer = io.BytesIO()
            torch.save(state, buffer)
            write_atomically(self.path("checkpoint.pt"), buffer.getvalue())
        plateau = plateau or {"patience": int(self.config["patience"]), "factor": 0.5, "threshold": 1e-4,
                              "evaluationsWithoutImprovement": 0}
        info = {"step": int(step), "epoch": float(epoch), "lr": float(lr), "plateau": plateau}
        if best_miou is not None:
            info["best_miou"] = float(best_miou)
        write_atomically(self.path("checkpoint.json"), _json_bytes(info))

    def preview(self, truth, prediction):
        """preview.png: truth | prediction side by side (H x W class ids each, 255 = ignored)."""
        truth, prediction = _rows(truth), _rows(prediction)
        if len(truth) != len(prediction) or any(len(a) != len(b) for a, b in zip(truth, prediction)):
            raise ValueError("preview: truth and prediction differ in size")
        write_atomically(self.path("preview.png"), palette_png([a + b for a, b in zip(truth, prediction)]))

    def finish(self, status="done", step=None):
        """The last status (done or stopped) at `step` (default: the last step logged), the event
        file closed, the lock let go."""
        self._write_status(status, self.step if step is None else step)
        self.close()

    def fail(self, error):
        self._write_status("failed", self.step, error=error)
        self.close()

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _rows(labels):
    """A 2-D tensor, array or list of lists as a list of lists of ints."""
    if hasattr(labels, "tolist"):
        labels = labels.tolist()
    return [[int(v) for v in row] for row in labels]
