"""One batch of logits and labels, checked against docs/CONVENTIONS.md ("Inputs"), with the
per-image sums every loss is a function of, each computed once and only when a loss asks for it.

    z: logits, B x K x H x W (any float dtype; float64 is the precision of reference)
    y: labels, B x H x W, values 0..K-1 or 255 (ignored)

V_b is the valid pixels of image b. An image with no valid pixel is skipped by every per-image
term (it is left out of the mean over images); a batch with none is an error.
"""
from functools import cached_property

import torch
import torch.nn.functional as F

from .conventions import IGNORE_INDEX


class SegmentationBatch:
    """Checked inputs and lazily computed sums; every tensor keeps the logits' autograd graph."""

    def __init__(self, logits, labels, tau=None):
        if not torch.is_tensor(logits) or not logits.is_floating_point():
            raise ValueError("logits: must be a floating-point tensor (B x K x H x W)")
        if logits.dim() != 4:
            raise ValueError(f"logits: must be 4-D (B x K x H x W), found shape {list(logits.shape)}")
        if not torch.is_tensor(labels) or labels.is_floating_point() or labels.dtype == torch.bool:
            raise ValueError("labels: must be an integer tensor (B x H x W)")
        b, k, h, w = logits.shape
        if list(labels.shape) != [b, h, w]:
            raise ValueError(f"labels: shape {list(labels.shape)} does not match the logits' B x H x W = [{b}, {h}, {w}]")
        if not 2 <= k <= 254:
            raise ValueError(f"logits: K = {k} classes; K must be from 2 to 254 (255 is the ignore index)")
        labels = labels.to(device=logits.device, dtype=torch.long)
        # One histogram of the label values checks them all (cheaper than masks and indexing).
        low, high = (int(v) for v in torch.aminmax(labels))
        histogram = torch.bincount(labels.view(-1), minlength=IGNORE_INDEX + 1) if low >= 0 and high <= IGNORE_INDEX else None
        if histogram is None or bool(histogram[k:IGNORE_INDEX].any()):
            bad = low if low < 0 else (high if high > IGNORE_INDEX else k + int(histogram[k:IGNORE_INDEX].nonzero()[0]))
            raise ValueError(f"labels: label {bad} is neither a class (K = {k}) nor the ignore index {IGNORE_INDEX}")
        if not bool(histogram[:k].any()):
            raise ValueError(f"labels: no valid pixel: every label is the ignore index {IGNORE_INDEX}")
        valid = labels != IGNORE_INDEX
        if tau is not None and not (tau > 0 and tau < float("inf")):
            raise ValueError(f"tau {tau}: the temperature must be a positive number")
        self.logits, self.labels, self.valid, self.tau = logits, labels, valid, tau
        self.images, self.classes = b, k

    # -- labels only (no gradient) -------------------------------------------------------------
    @cached_property
    def safe_labels(self):
        """Labels with ignored pixels set to class 0, for gathers (their values are masked out)."""
        return torch.where(self.valid, self.labels, torch.zeros_like(self.labels))

    @cached_property
    def valid_float(self):
        return self.valid.to(self.logits.dtype)

    @cached_property
    def valid_pixels(self):
        """|V_b|, shape B."""
        return self.valid_float.sum((1, 2))

    @cached_property
    def label_counts(self):
        """n_bk = |{i ∈ V_b : y_i = k}|, shape B x K."""
        b, k = self.images, self.classes
        index = (torch.arange(b, device=self.labels.device).view(b, 1, 1) * k + self.safe_labels)[self.valid]
        counts = torch.bincount(index, minlength=b * k).view(b, k)
        return counts.to(self.logits.dtype)

    @cached_property
    def kept_images(self):
        """The images with a valid pixel (a boolean mask over B)."""
        return self.valid_pixels > 0

    @cached_property
    def target_proportion(self):
        """ŷ_bk = n_bk / |V_b| (0 for a skipped image), shape B x K."""
        return self.label_counts / self.valid_pixels.clamp_min(1).unsqueeze(1)

    # -- from the logits ---------------------------------------------------------------------
    @cached_property
    def log_probabilities(self):
        """log softmax(z) over K."""
        return F.log_softmax(self.logits, 1)

    @cached_property
    def probabilities(self):
        """p = softmax(z) over K (τ = 1: CE and Dice never see τ)."""
        return F.softmax(self.logits, 1)

    @cached_property
    def log_probability_at_label(self):
        """log p_{y_i}, shape B x H x W (ignored pixels hold class 0's, to be masked)."""
        return self.log_probabilities.gather(1, self.safe_labels.unsqueeze(1)).squeeze(1)

    @cached_property
    def probability_sum(self):
        """P_bk = Σ_{i∈V_b} p_ki, shape B x K."""
        return (self.probabilities * self.valid_float.unsqueeze(1)).sum((2, 3))

    @cached_property
    def probability_at_label(self):
        """I_bk = Σ_{i∈V_b, y_i = k} p_ki, shape B x K."""
        at_label = self.probabilities.gather(1, self.safe_labels.unsqueeze(1)).squeeze(1) * self.valid_float
        b, k = self.images, self.classes
        return torch.zeros(b, k, dtype=at_label.dtype, device=at_label.device).scatter_add(
            1, self.safe_labels.view(b, -1), at_label.view(b, -1))

    @cached_property
    def predicted_proportion(self):
        """p̂_bk = (1/|V_b|) Σ_{i∈V_b} softmax(τ z_i)_k, shape B x K (τ on p̂ only)."""
        if self.tau is None:
            raise ValueError("p̂ needs a temperature τ")
        tempered = F.softmax(self.tau * self.logits, 1) * self.valid_float.unsqueeze(1)
        return tempered.sum((2, 3)) / self.valid_pixels.clamp_min(1).unsqueeze(1)


def as_batch(logits, labels, tau=None):
    return SegmentationBatch(logits, labels, tau)
