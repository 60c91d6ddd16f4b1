"""Evaluation metrics with marginal's conventions (docs/CONVENTIONS.md, MarginalCore's
ConfusionMatrix and MarginalEngine's evaluate):

- IoU and Dice per class from ONE confusion matrix accumulated over the whole split (like the
  authors' evaluator and mmseg, not per image then averaged): a class absent from the truth
  but predicted gets 0; a class absent from both gets None and is left out of mIoU.
- proportions: target ŷ and hard (argmax shares) over the split's valid pixels (from the
  matrix); soft p̂ (τ = 1) and tempered p̂ (the run's τ) as the mean over images of each
  image's p̂ (images without a valid pixel left out).

    meter = SplitMeter(classes=2, tau=10)
    for images, labels in loader:
        meter.add(model(images), labels)
    result = meter.result(loss=mean_validation_loss)   # an `eval` line's numbers
"""
import torch
import torch.nn.functional as F

from .conventions import IGNORE_INDEX


class ConfusionMatrix:
    """K x K counts over valid pixels, row = target, column = prediction."""

    def __init__(self, classes):
        if classes < 1:
            raise ValueError("a confusion matrix needs at least one class")
        self.classes = classes
        self.counts = torch.zeros(classes, classes, dtype=torch.int64)

    def accumulate(self, predicted, target):
        """Adds (prediction, target) pairs; a target of 255 is skipped."""
        predicted = predicted.reshape(-1).to(torch.int64).cpu()
        target = target.reshape(-1).to(torch.int64).cpu()
        if predicted.shape != target.shape:
            raise ValueError("prediction and target differ in size")
        keep = target != IGNORE_INDEX
        predicted, target = predicted[keep], target[keep]
        if bool(((target < 0) | (target >= self.classes) | (predicted < 0) | (predicted >= self.classes)).any()):
            raise ValueError(f"a class outside 0..{self.classes - 1} in a prediction or target")
        self.counts += torch.bincount(target * self.classes + predicted,
                                      minlength=self.classes * self.classes).view(self.classes, self.classes)

    def _totals(self):
        tp = self.counts.diagonal()
        return tp, self.counts.sum(1), self.counts.sum(0)

    @property
    def iou(self):
        """IoU_k = TP / (TP + FP + FN); None when class k is absent from prediction and target."""
        tp, target, predicted = self._totals()
        union = target + predicted - tp
        return [None if int(u) == 0 else int(t) / int(u) for t, u in zip(tp, union)]

    @property
    def mean_iou(self):
        present = [v for v in self.iou if v is not None]
        return sum(present) / len(present) if present else None

    @property
    def dice(self):
        """Dice_k = 2 TP / (2 TP + FP + FN); None when class k is absent from both."""
        tp, target, predicted = self._totals()
        total = target + predicted
        return [None if int(s) == 0 else 2 * int(t) / int(s) for t, s in zip(tp, total)]

    @property
    def valid_pixels(self):
        return int(self.counts.sum())

    @property
    def predicted_proportion(self):
        """The share of valid pixels predicted as each class (hard proportion); 0s when empty."""
        total = max(self.valid_pixels, 1)
        return [int(v) / total for v in self.counts.sum(0)]

    @property
    def target_proportion(self):
        """ŷ over the valid pixels; 0s when empty."""
        total = max(self.valid_pixels, 1)
        return [int(v) / total for v in self.counts.sum(1)]


def image_proportions(logits, labels, tau=1.0):
    """p̂ of each image at temperature τ over its valid pixels: (B x K tensor, B bool: has a valid pixel)."""
    valid = (labels != IGNORE_INDEX).to(logits.dtype).unsqueeze(1)
    count = valid.sum((1, 2, 3))
    p = F.softmax(tau * logits, 1) * valid
    return p.sum((2, 3)) / count.clamp_min(1).unsqueeze(1), count > 0


def predicted_labels(logits):
    """argmax over K (ties to the lower class), B x H x W."""
    return logits.argmax(1)


class SplitMeter:
    """Accumulates a split's evaluation, batch after batch; `result` gives an eval line's numbers."""

    def __init__(self, classes, tau):
        self.classes, self.tau = classes, tau
        self.confusion = ConfusionMatrix(classes)
        self.soft_sum = torch.zeros(classes, dtype=torch.float64)
        self.tempered_sum = torch.zeros(classes, dtype=torch.float64)
        self.images = 0

    @torch.no_grad()
    def add(self, logits, labels):
        logits = logits.detach().double().cpu()
        labels = labels.cpu()
        self.confusion.accumulate(predicted_labels(logits), labels)
        soft, kept = image_proportions(logits, labels, 1.0)
        tempered, _ = image_proportions(logits, labels, self.tau)
        self.soft_sum += soft[kept].sum(0)
        self.tempered_sum += tempered[kept].sum(0)
        self.images += int(kept.sum())

    def result(self, loss, hd95=None, nsd=None):
        """The numbers of an `eval` line of metrics.jsonl (the keys of MarginalRuns' EvaluationResult)."""
        n = max(self.images, 1)
        result = {
            "iou": self.confusion.iou,
            "miou": self.confusion.mean_iou,
            "dice": self.confusion.dice,
            "pred_proportion": (self.soft_sum / n).tolist(),
            "tempered_proportion": (self.tempered_sum / n).tolist(),
            "hard_proportion": self.confusion.predicted_proportion,
            "target_proportion": self.confusion.target_proportion,
            "loss": float(loss),
        }
        if result["miou"] is None:
            del result["miou"]
        if hd95 is not None:
            result["hd95"] = float(hd95)
        if nsd is not None:
            result["nsd"] = float(nsd)
        return result
