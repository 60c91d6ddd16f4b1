"""Every loss of docs/CONVENTIONS.md ("Losses", "Regularisers") as a PyTorch function, with the
conventions of marginal's Swift core (MarginalCore): ignore index 255, τ on p̂ only, per-image
marginals averaged over the images that have a valid pixel, ε = 1e-10 inside the logs of
marginals. Gradients come from autograd; `marginal decompose --grad-dir` gives the same numbers
(python/tests/cross_check.py checks them to 1e-9).

    loss("ce_l1", z, y)                       # CE + 1.0 · l1 at τ = 10
    loss("ce_kl", z, y, lam=0.5, tau=5)       # CE + 0.5 · kl
    MarginalLoss("dice_ce")(z, y)             # as an nn.Module
"""
import torch
import torch.nn.functional as F

from .batch import SegmentationBatch
from .conventions import DEFAULT_GAMMA, DEFAULT_TAU, DICE_EPS, EPSILON, GDICE_SMOOTH, IGNORE_INDEX


# -- terms: each takes a SegmentationBatch (and the settings it reads) -------------------------

def _cross_entropy(batch, class_weights=None, **_):
    """(1/|V|) Σ_V −log p_y; with weights w: Σ w_y(−log p_y) / Σ w_y (PyTorch's own semantics)."""
    weight = None
    if class_weights is not None:
        weight = torch.as_tensor(class_weights, dtype=batch.logits.dtype, device=batch.logits.device)
        if weight.shape != (batch.classes,):
            raise ValueError(f"class_weights: {weight.numel()} weights given for K = {batch.classes} classes")
        if bool((weight < 0).any()) or not bool(torch.isfinite(weight).all()):
            raise ValueError("class_weights: every weight must be a finite number ≥ 0")
        if float(weight[batch.safe_labels[batch.valid]].sum()) == 0:
            raise ValueError("class_weights: every valid pixel has weight 0, so weighted CE is 0/0")
    return F.cross_entropy(batch.logits, batch.labels, weight=weight, ignore_index=IGNORE_INDEX)


def _focal(batch, gamma=DEFAULT_GAMMA, **_):
    """(1/|V|) Σ_V −(1 − p_y)^γ log p_y, with 1 − p_y = −expm1(log p_y) (digits kept as p_y → 1)."""
    if not (gamma >= 0 and gamma < float("inf")):
        raise ValueError(f"gamma {gamma}: the focal exponent must be ≥ 0")
    log_p = batch.log_probability_at_label
    if gamma == 0:
        per_pixel = -log_p
    else:
        per_pixel = -torch.pow(-torch.expm1(log_p), gamma) * log_p
    # Ignored pixels hold class 0's log p (finite): masked by a product, not by indexing.
    return (per_pixel * batch.valid_float).sum() / batch.valid_float.sum()


def _dice(batch, logarithmic, foreground_only):
    """Batch-level soft Dice: I_k = Σ_b I_bk, S_k = Σ_b P_bk + n_k, d_k = 2 I_k / max(S_k, 1e-7);
    (1/K) Σ_k present_k (1 − d_k), or −log(max(d_k, 1e-7)); class 1 alone (no 1/K) for dice1."""
    intersection = batch.probability_at_label.sum(0)
    counts = batch.label_counts.sum(0)
    cardinality = batch.probability_sum.sum(0) + counts
    d = 2 * intersection / cardinality.clamp_min(DICE_EPS)
    per_class = -torch.log(d.clamp_min(DICE_EPS)) if logarithmic else 1 - d
    per_class = torch.where(counts > 0, per_class, torch.zeros_like(per_class))
    if foreground_only:
        return per_class[1]
    return per_class.sum() / batch.classes


def _generalized_dice(batch, **_):
    """MONAI GeneralizedDiceLoss(softmax=True, w_type="square") per image, mean over images:
    w_bk = 1/n_bk², an absent class's infinite weight replaced by the image's largest finite one;
    f_b = 1 − (2 Σ_k w I + 1e-5) / (Σ_k w (P + n) + 1e-5)."""
    keep = batch.kept_images
    counts = batch.label_counts[keep]
    weights = 1 / (counts * counts)
    finite = torch.where(counts > 0, weights, torch.zeros_like(weights))
    weights = torch.where(counts > 0, weights, finite.max(1, keepdim=True).values)
    numerator = 2 * (weights * batch.probability_at_label[keep]).sum(1) + GDICE_SMOOTH
    denominator = (weights * (batch.probability_sum[keep] + counts)).sum(1) + GDICE_SMOOTH
    return (1 - numerator / denominator).mean()


def _marginal_pair(batch):
    """ŷ and p̂ of the images that have a valid pixel (K x kept images)."""
    keep = batch.kept_images
    return batch.target_proportion[keep], batch.predicted_proportion[keep]


def _l1(batch, **_):
    """mean over b, k of |p̂_bk − ŷ_bk| (autograd's d|x|/dx at 0 is 0, as in the Swift core)."""
    target, predicted = _marginal_pair(batch)
    return (predicted - target).abs().mean()


def _kl(batch, **_):
    """mean over b of Σ_k ŷ_bk log((ŷ_bk + ε) / (p̂_bk + ε)), 0 where ŷ_bk = 0."""
    target, predicted = _marginal_pair(batch)
    terms = target * torch.log((target + EPSILON) / (predicted + EPSILON))
    return torch.where(target > 0, terms, torch.zeros_like(terms)).sum(1).mean()


def _db(batch, **_):
    """mean over b, k of log(p̂_bk + ŷ_bk + ε): Dice's label-marginal bias (paper Eq. 1)."""
    target, predicted = _marginal_pair(batch)
    return torch.log(predicted + target + EPSILON).mean()


def _db1(batch, **_):
    """mean over b of log(p̂_b1 + ŷ_b1 + ε): binary, class 1 = foreground (paper Eq. 21)."""
    target, predicted = _marginal_pair(batch)
    return torch.log(predicted[:, 1] + target[:, 1] + EPSILON).mean()


#: term name -> (function, binary only, reads p̂ (and so τ))
TERMS = {
    "ce": (_cross_entropy, False, False),
    "focal": (_focal, False, False),
    "dice": (lambda b, **_: _dice(b, False, False), False, False),
    "log_dice": (lambda b, **_: _dice(b, True, False), False, False),
    "dice1": (lambda b, **_: _dice(b, False, True), True, False),
    "log_dice1": (lambda b, **_: _dice(b, True, True), True, False),
    "gdice": (_generalized_dice, False, False),
    "l1": (_l1, False, True),
    "kl": (_kl, False, True),
    "db": (_db, False, True),
    "db1": (_db1, True, True),
}

#: loss name -> (first term, (weighted term, default λ) or None): MarginalCore's LossName.recipe,
#: in the same order (the registry's table order).
LOSSES = {
    "ce": ("ce", None),
    "focal": ("focal", None),
    "dice": ("dice", None),
    "log_dice": ("log_dice", None),
    "dice1": ("dice1", None),
    "log_dice1": ("log_dice1", None),
    "gdice": ("gdice", None),
    "dice_ce": ("ce", ("dice", 0.1)),
    "log_dice_ce": ("ce", ("log_dice", 0.1)),
    "ce_db": ("ce", ("db", 0.1)),
    "ce_db1": ("ce", ("db1", 0.1)),
    "ce_kl": ("ce", ("kl", 0.1)),
    "ce_l1": ("ce", ("l1", 1.0)),
}

#: The label-marginal penalties, as `marginal decompose --json` names them ("regularizers").
PENALTIES = ("l1", "kl", "db", "db1")


def terms_of(name, lam=None):
    """[(weight, term name)] of a loss; λ from `lam` or the loss's default."""
    if name not in LOSSES:
        raise ValueError(f"loss '{name}': not one of {', '.join(LOSSES)}")
    first, weighted = LOSSES[name]
    if weighted is None:
        return [(1.0, first)]
    term, default = weighted
    return [(1.0, first), (default if lam is None else float(lam), term)]


def default_lambda(name):
    """λ when none is given; None for a loss without λ."""
    weighted = LOSSES[name][1]
    return None if weighted is None else weighted[1]


def is_binary_only(name):
    return any(TERMS[term][1] for _, term in terms_of(name))


def uses_temperature(name):
    return any(TERMS[term][2] for _, term in terms_of(name))


def available(classes):
    """The losses defined for K classes, in table order (binary-only ones when K = 2)."""
    return [name for name in LOSSES if classes == 2 or not is_binary_only(name)]


def evaluate_terms(terms, logits, labels, *, tau=DEFAULT_TAU, class_weights=None, gamma=DEFAULT_GAMMA):
    """Σ weight · term on one batch: a 0-d tensor, differentiable in the logits."""
    batch = SegmentationBatch(logits, labels, tau)
    total = None
    for weight, term in terms:
        function, binary_only, _ = TERMS[term]
        if binary_only and batch.classes != 2:
            raise ValueError(f"term {term} is binary only (K = 2, class 1 = foreground), but K = {batch.classes}")
        if not (weight == weight and abs(weight) < float("inf")):
            raise ValueError(f"lambda {weight}: not a finite number")
        value = function(batch, class_weights=class_weights, gamma=gamma)
        value = value if weight == 1.0 else weight * value
        total = value if total is None else total + value
    return total


def loss(name, logits, labels, *, lam=None, tau=DEFAULT_TAU, class_weights=None, gamma=DEFAULT_GAMMA):
    """The loss `name` (CONVENTIONS.md's table) of logits B x K x H x W and labels B x H x W.
    `lam` overrides the default λ of a composite; `class_weights` weight its CE term only."""
    if is_binary_only(name) and logits.dim() == 4 and logits.shape[1] != 2:
        raise ValueError(f"loss {name} is binary only (K = 2), but K = {logits.shape[1]}")
    return evaluate_terms(terms_of(name, lam), logits, labels, tau=tau, class_weights=class_weights, gamma=gamma)


def penalty(name, logits, labels, *, tau=DEFAULT_TAU):
    """One label-marginal penalty (l1, kl, db, db1) at temperature τ."""
    if name not in PENALTIES:
        raise ValueError(f"penalty '{name}': not one of {', '.join(PENALTIES)}")
    return evaluate_terms([(1.0, name)], logits, labels, tau=tau)


class MarginalLoss(torch.nn.Module):
    """`loss(name, …)` as a module: `criterion = MarginalLoss("ce_l1"); criterion(z, y).backward()`."""

    def __init__(self, name, lam=None, tau=DEFAULT_TAU, class_weights=None, gamma=DEFAULT_GAMMA):
        super().__init__()
        self.terms = terms_of(name, lam)
        self.name, self.tau, self.class_weights, self.gamma = name, tau, class_weights, gamma

    def forward(self, logits, labels):
        return loss(self.name, logits, labels, lam=self.terms[1][0] if len(self.terms) > 1 else None,
                    tau=self.tau, class_weights=self.class_weights, gamma=self.gamma)


# One plain function per loss and penalty, named as CONVENTIONS.md names them.
def _named(name):
    def function(logits, labels, **settings):
        return loss(name, logits, labels, **settings)
    function.__name__ = name
    function.__doc__ = f"loss('{name}', logits, labels, **settings)"
    return function


cross_entropy = _named("ce")
focal = _named("focal")
dice = _named("dice")
log_dice = _named("log_dice")
dice1 = _named("dice1")
log_dice1 = _named("log_dice1")
gdice = _named("gdice")
dice_ce = _named("dice_ce")
log_dice_ce = _named("log_dice_ce")
ce_db = _named("ce_db")
ce_db1 = _named("ce_db1")
ce_kl = _named("ce_kl")
ce_l1 = _named("ce_l1")
