"""The paper's decompositions of Dice and CE (Eqs. 1 and 4; docs/CONVENTIONS.md "Decomposition"):
τ = 1, per image over its valid pixels, then the mean over the images that have one. Every log
of a mean of probabilities is a log-sum-exp of log-probabilities, so that it stays finite where
the probabilities underflow (logits of ±100), as in MarginalCore's `decompose`."""
import math

import torch

from .batch import SegmentationBatch
from .conventions import EPSILON

TERMS = ("df", "db", "entropy", "kl", "label_entropy", "ce")


@torch.no_grad()
def decompose(logits, labels):
    """{"df", "db", "entropy", "kl", "label_entropy", "ce"} as Python floats (float64 sums)."""
    batch = SegmentationBatch(logits.detach().double(), labels)
    log_p = batch.log_probabilities
    totals = dict.fromkeys(TERMS, 0.0)
    images = 0
    for b in range(batch.images):
        valid = batch.valid[b]
        if not bool(valid.any()):
            continue
        images += 1
        y = batch.labels[b][valid]                      # |V_b|
        lp = log_p[b][:, valid]                          # K x |V_b|
        count = y.numel()
        log_predicted = torch.logsumexp(lp, 1) - math.log(count)   # log p̂¹_k
        at_label = lp.gather(0, y.unsqueeze(0)).squeeze(0)        # log p_{y_i}
        terms = dict.fromkeys(TERMS, 0.0)
        for k in range(batch.classes):
            labelled = lp[k][y == k]
            target = labelled.numel() / count
            terms["db"] += math.log(math.exp(float(log_predicted[k])) + target + EPSILON)
            if labelled.numel() == 0:
                continue
            terms["df"] += -(float(torch.logsumexp(labelled, 0)) - math.log(labelled.numel()))
            terms["kl"] += target * (math.log(target) - float(log_predicted[k]))
            terms["label_entropy"] += -target * math.log(target)
        terms["entropy"] = float((-(at_label - log_predicted[y]) / count).sum())
        terms["ce"] = float((-at_label / count).sum())
        for name in TERMS:
            totals[name] += terms[name]
    return {name: value / images for name, value in totals.items()}
