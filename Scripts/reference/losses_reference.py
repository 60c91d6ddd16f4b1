#!/usr/bin/env python3
"""Independent numpy (float64) reference for the losses of docs CONVENTIONS.md.

Writes Tests/MarginalCoreTests/ReferenceValues.swift (path relative to this script,
so it runs from any folder):  python3 Scripts/reference/losses_reference.py

Every definition follows /work/shared/design/CONVENTIONS.md ("CONVENTIONS" below); the
section is named in each function's comment. This is a yardstick: clarity beats speed.

Fixed inputs (the Swift tests rebuild them with the same formulas):
  logits  z[b,k,h,w] = 2.5*sin(0.9*b + 1.7*k + 0.37*h + 0.23*w + 0.11*k*h) + 0.5*cos(0.5*k*w)
          (float64, shape B x K x H x W, C order)
  "multi":  B=2, K=4, H=5, W=6.  v = (7*b + 5*h + 3*w + h*w) % 9.
            label = 255 if v == 8; else if b == 1: v % 3 (class 3 absent in image 1); else v % 4.
  "binary": B=3, K=2, H=4, W=7.  v = (11*b + 3*h + 5*w + 2*h*w) % 10.
            label = 255 if v == 9 or b == 2 (image 2 has no valid pixel at all);
            else if b == 1: 0 (image 1 has no foreground); else (1 if v < 3 else 0).
  "multi_weighted": the "multi" input, ce with class weights w = [0.5, 1.0, 2.0, 1.5] only.
  "multi_tau1":     the "multi" input with tau = 1 for the regularisers and composite losses.
"""
from pathlib import Path

import numpy as np

IGNORE = 255        # CONVENTIONS "Inputs": ignored pixel
EPS = 1e-10         # CONVENTIONS "Inputs": epsilon inside the logs of marginals
DICE_EPS = 1e-7     # smp 0.2.1 DiceLoss: eps (clamp_min of the denominator and, for log_loss, of d)
GDICE_SMOOTH = 1e-5 # MONAI GeneralizedDiceLoss: smooth_nr = smooth_dr = 1e-5
GAMMA = 2.0         # CONVENTIONS "Losses": focal gamma
TAU = 10.0          # CONVENTIONS "Inputs": default temperature of p-hat (paper Appendix C)
LAMBDA = {"dice_ce": 0.1, "log_dice_ce": 0.1, "ce_db": 0.1, "ce_db1": 0.1,
          "ce_kl": 0.1, "ce_l1": 1.0}  # CONVENTIONS "Losses": default lambdas
CLASS_WEIGHTS = np.array([0.5, 1.0, 2.0, 1.5])  # case "multi_weighted"


# ---------------------------------------------------------------- inputs
def make_logits(B, K, H, W):
    b, k, h, w = np.meshgrid(*(np.arange(n, dtype=np.float64) for n in (B, K, H, W)),
                             indexing="ij")
    return 2.5 * np.sin(0.9 * b + 1.7 * k + 0.37 * h + 0.23 * w + 0.11 * k * h) \
        + 0.5 * np.cos(0.5 * k * w)


def make_multi_labels(B=2, H=5, W=6):
    y = np.zeros((B, H, W), dtype=np.int64)
    for b in range(B):
        for h in range(H):
            for w in range(W):
                v = (7 * b + 5 * h + 3 * w + h * w) % 9
                y[b, h, w] = IGNORE if v == 8 else (v % 3 if b == 1 else v % 4)
    return y


def make_binary_labels(B=3, H=4, W=7):
    y = np.zeros((B, H, W), dtype=np.int64)
    for b in range(B):
        for h in range(H):
            for w in range(W):
                v = (11 * b + 3 * h + 5 * w + 2 * h * w) % 10
                if v == 9 or b == 2:
                    y[b, h, w] = IGNORE
                else:
                    y[b, h, w] = 0 if b == 1 else (1 if v < 3 else 0)
    return y


# ---------------------------------------------------------------- softmax, pixels
def log_softmax(z, tau=1.0):
    """log softmax(tau*z) over K (axis 1), by log-sum-exp. CONVENTIONS "Inputs"."""
    x = tau * z
    m = x.max(axis=1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))


def image_pixels(z, y, tau=1.0):
    """Per image with at least one valid pixel: (log p of shape n x K, labels of shape n).
    Images without a valid pixel are skipped (CONVENTIONS "Inputs")."""
    lp = log_softmax(z, tau)
    K = z.shape[1]
    out = []
    for b in range(z.shape[0]):
        valid = y[b] != IGNORE
        if valid.any():
            out.append((lp[b].reshape(K, -1).T[valid.ravel()], y[b][valid]))
    return out


def batch_pixels(z, y):
    """All valid pixels of the batch, tau = 1: (log p of shape N x K, labels of shape N)."""
    pix = image_pixels(z, y)
    return np.concatenate([lp for lp, _ in pix]), np.concatenate([t for _, t in pix])


def one_hot(t, K):
    return (t[:, None] == np.arange(K)[None, :]).astype(np.float64)


# ---------------------------------------------------------------- label marginals
def target_marginals(z, y):
    """CONVENTIONS "Label marginals": yhat_bk = |{i in V_b: y_bi = k}| / |V_b|."""
    K = z.shape[1]
    return np.array([one_hot(t, K).mean(axis=0) for _, t in image_pixels(z, y)])


def pred_marginals(z, y, tau):
    """CONVENTIONS "Label marginals": phat_bk = mean over V_b of softmax(tau z)_bk."""
    return np.array([np.exp(lp).mean(axis=0) for lp, _ in image_pixels(z, y, tau)])


# ---------------------------------------------------------------- regularisers
# CONVENTIONS "Regularisers" = the authors' CrossEntropyWithL1/KL/DB normalisation.
def reg_l1(yhat, phat):
    """l1 = mean over b, k of |phat - yhat| (authors' code: mean, the paper writes a sum over k)."""
    return np.mean(np.abs(phat - yhat))


def reg_kl(yhat, phat):
    """kl = mean over b of sum_k yhat log((yhat+eps)/(phat+eps)), with 0 * log(...) = 0."""
    terms = np.where(yhat > 0, yhat * np.log((yhat + EPS) / (phat + EPS)), 0.0)
    return np.mean(terms.sum(axis=1))


def reg_db(yhat, phat):
    """db = mean over b, k of log(phat + yhat + eps) (Dice's label-marginal bias, paper Eq. 1)."""
    return np.mean(np.log(phat + yhat + EPS))


def reg_db1(yhat, phat):
    """db1 = mean over b of log(phat_b1 + yhat_b1 + eps) (binary, class 1, paper Eq. 21)."""
    return np.mean(np.log(phat[:, 1] + yhat[:, 1] + EPS))


# ---------------------------------------------------------------- losses (tau = 1)
def loss_ce(z, y, weights=None):
    """CONVENTIONS "Losses" ce: mean over V of -log p_y; with class weights,
    sum w_y (-log p_y) / sum w_y (PyTorch cross_entropy weight semantics, reduction="mean")."""
    lp, t = batch_pixels(z, y)
    nll = -lp[np.arange(len(t)), t]
    w_y = np.ones(len(t)) if weights is None else weights[t]
    return np.sum(w_y * nll) / np.sum(w_y)


def loss_focal(z, y, gamma=GAMMA):
    """CONVENTIONS "Losses" focal: mean over V of -(1 - p_y)^gamma log p_y
    (= K times MONAI FocalLoss(use_softmax=True), which also averages over the K channels)."""
    lp, t = batch_pixels(z, y)
    log_py = lp[np.arange(len(t)), t]
    return np.mean(-(1.0 - np.exp(log_py)) ** gamma * log_py)


def batch_dice(z, y):
    """CONVENTIONS "Losses" dice (smp 0.2.1 DiceLoss, multiclass, from_logits, smooth 0,
    eps 1e-7, dims (0, 2) = batch-level): d_k = 2 I_k / max(S_k, 1e-7), present_k."""
    lp, t = batch_pixels(z, y)
    p, g = np.exp(lp), one_hot(t, z.shape[1])
    intersection = (p * g).sum(axis=0)
    cardinality = p.sum(axis=0) + g.sum(axis=0)
    return 2.0 * intersection / np.maximum(cardinality, DICE_EPS), g.sum(axis=0) > 0


def loss_dice(z, y):
    """(1/K) sum_k present_k (1 - d_k): smp masks absent classes, then .mean() over K."""
    d, present = batch_dice(z, y)
    return np.mean(np.where(present, 1.0 - d, 0.0))


def loss_log_dice(z, y):
    """(1/K) sum_k present_k (-log max(d_k, 1e-7)): smp log_loss=True, clamp_min(eps)."""
    d, present = batch_dice(z, y)
    return np.mean(np.where(present, -np.log(np.maximum(d, DICE_EPS)), 0.0))


def loss_dice1(z, y):
    """Binary only: dice for class 1 alone (paper Table 2's Dice_1)."""
    d, present = batch_dice(z, y)
    return (1.0 - d[1]) if present[1] else 0.0


def loss_log_dice1(z, y):
    """Binary only: log_dice for class 1 alone."""
    d, present = batch_dice(z, y)
    return -np.log(max(d[1], DICE_EPS)) if present[1] else 0.0


def loss_gdice(z, y):
    """CONVENTIONS "Losses" gdice = MONAI GeneralizedDiceLoss(softmax=True, w_type="square",
    smooth_nr = smooth_dr = 1e-5, batch=False), restricted to V_b, mean over images.
    w_bk = 1/G_bk^2; an infinite weight (absent class) takes the image's largest finite weight
    (MONAI: w[inf] = 0, then w += inf * max_k w)."""
    K = z.shape[1]
    losses = []
    for lp, t in image_pixels(z, y):
        p, g = np.exp(lp), one_hot(t, K)
        G, P, I = g.sum(axis=0), p.sum(axis=0), (p * g).sum(axis=0)
        w = np.zeros(K)
        w[G > 0] = 1.0 / G[G > 0] ** 2
        w[G == 0] = w[G > 0].max()
        numer = 2.0 * np.sum(w * I) + GDICE_SMOOTH
        denom = np.sum(w * (P + G)) + GDICE_SMOOTH
        losses.append(1.0 - numer / denom)
    return np.mean(losses)


# ---------------------------------------------------------------- decomposition
def decomposition(z, y):
    """CONVENTIONS "Decomposition" (paper Eqs. 1 and 4): tau = 1, per image, mean over images.
    Exact kl and label entropy (no eps, 0 log 0 = 0); db keeps eps and sums over k."""
    K = z.shape[1]
    rows = []
    for lp, t in image_pixels(z, y):
        n = len(t)
        p = np.exp(lp)
        counts = np.bincount(t, minlength=K)
        yhat, phat1 = counts / n, p.mean(axis=0)
        present = counts > 0
        log_py = lp[np.arange(n), t]
        mean_pk = np.array([p[t == k, k].mean() if present[k] else np.nan for k in range(K)])
        term = {
            "df": np.sum(-np.log(mean_pk[present])),
            "db": np.sum(np.log(phat1 + yhat + EPS)),
            "entropy": -np.mean(log_py - np.log(phat1[t])),
            "kl": np.sum(yhat[present] * np.log(yhat[present] / phat1[present])),
            "label_entropy": -np.sum(yhat[present] * np.log(yhat[present])),
            "ce": -np.mean(log_py),
        }
        # Identity (CONVENTIONS "Decomposition"): ce = entropy + kl + label_entropy.
        assert np.isclose(term["ce"], term["entropy"] + term["kl"] + term["label_entropy"],
                          rtol=1e-12, atol=1e-13), term
        # Jensen: df <= sum_k mean over Omega_k of -log p_k.
        region_ce = sum(np.mean(-lp[t == k, k]) for k in range(K) if present[k])
        assert term["df"] <= region_ce + 1e-12
        # Per-image Dice identity, when every class occurs (eps in db -> small tolerance).
        if present.all():
            dice_bk = 2.0 * (p * one_hot(t, K)).sum(axis=0) / (p.sum(axis=0) + counts)
            rhs = term["df"] + term["db"] - K * np.log(2.0) - np.sum(np.log(yhat))
            assert np.isclose(np.sum(-np.log(dice_bk)), rhs, rtol=0, atol=1e-8)
        rows.append(term)
    return {name: float(np.mean([r[name] for r in rows])) for name in rows[0]}


# ---------------------------------------------------------------- one case
def case_values(z, y, tau):
    """Every loss of the CONVENTIONS table, regularisers at tau, decomposition, marginals."""
    K = z.shape[1]
    yhat, phat = target_marginals(z, y), pred_marginals(z, y, tau)
    reg = {"l1": reg_l1(yhat, phat), "kl": reg_kl(yhat, phat), "db": reg_db(yhat, phat)}
    if K == 2:
        reg["db1"] = reg_db1(yhat, phat)
    ce = loss_ce(z, y)
    losses = {"ce": ce, "focal": loss_focal(z, y), "dice": loss_dice(z, y),
              "log_dice": loss_log_dice(z, y)}
    if K == 2:
        losses["dice1"], losses["log_dice1"] = loss_dice1(z, y), loss_log_dice1(z, y)
    losses["gdice"] = loss_gdice(z, y)
    losses["dice_ce"] = ce + LAMBDA["dice_ce"] * losses["dice"]
    losses["log_dice_ce"] = ce + LAMBDA["log_dice_ce"] * losses["log_dice"]
    losses["ce_db"] = ce + LAMBDA["ce_db"] * reg["db"]
    if K == 2:
        losses["ce_db1"] = ce + LAMBDA["ce_db1"] * reg["db1"]
    losses["ce_kl"] = ce + LAMBDA["ce_kl"] * reg["kl"]
    losses["ce_l1"] = ce + LAMBDA["ce_l1"] * reg["l1"]
    values = {k: float(v) for k, v in losses.items()}
    values.update({"reg." + k: float(v) for k, v in reg.items()})
    values.update({"decomp." + k: v for k, v in decomposition(z, y).items()})
    assert all(np.isfinite(v) for v in values.values()), values
    return values, yhat, phat


def check_inputs(y_multi, y_binary):
    """The cases really have what they claim."""
    assert (y_multi == IGNORE).any() and (y_binary == IGNORE).any(), "ignored pixels"
    assert set(np.unique(y_multi[0])) == {0, 1, 2, 3, IGNORE}, "multi image 0: all classes"
    assert 3 not in y_multi[1] and (y_multi[1] == IGNORE).any(), "multi image 1: class 3 absent"
    assert (y_binary[2] == IGNORE).all(), "binary image 2: no valid pixel"
    assert set(np.unique(y_binary[1])) == {0, IGNORE}, "binary image 1: no foreground"
    assert set(np.unique(y_binary[0])) == {0, 1, IGNORE}, "binary image 0: both classes"


# ---------------------------------------------------------------- Swift output
def swift_double(x):
    s = repr(float(x))  # shortest repr that round-trips exactly
    assert np.isfinite(x) and float(s) == x
    return s


def swift_dict(name, values):
    lines = [f'        "{k}": {swift_double(v)},' for k, v in values.items()]
    return f"    static let {name}: [String: Double] = [\n" + "\n".join(lines) + "\n    ]\n"


def swift_matrix(name, m):
    rows = ["        [" + ", ".join(swift_double(v) for v in row) + "]," for row in m]
    return f"    static let {name}: [[Double]] = [\n" + "\n".join(rows) + "\n    ]\n"


HEADER = """\
// Generated by Scripts/reference/losses_reference.py — do not edit; rerun `python3 Scripts/reference/losses_reference.py` to regenerate.
//
// Definitions: CONVENTIONS.md (ignore label 255, eps = 1e-10, focal gamma = 2, default lambdas
// dice_ce 0.1, log_dice_ce 0.1, ce_db 0.1, ce_db1 0.1, ce_kl 0.1, ce_l1 1.0).
//
// Inputs:
//   logits  z[b,k,h,w] = 2.5*sin(0.9*b + 1.7*k + 0.37*h + 0.23*w + 0.11*k*h) + 0.5*cos(0.5*k*w)
//           (float64, shape B x K x H x W, C order)
//   "multi":  B=2, K=4, H=5, W=6.  v = (7*b + 5*h + 3*w + h*w) % 9.
//             label = 255 if v == 8; else if b == 1: v % 3 (class 3 absent in image 1); else v % 4.
//             tau = 10 for the predicted marginals, the regularisers and ce_db/ce_kl/ce_l1.
//   "binary": B=3, K=2, H=4, W=7.  v = (11*b + 3*h + 5*w + 2*h*w) % 10.
//             label = 255 if v == 9 or b == 2 (image 2 has no valid pixel at all);
//             else if b == 1: 0 (image 1 has no foreground); else (1 if v < 3 else 0).  tau = 10.
//   "multi_weighted": the "multi" input, ce with class weights w = [0.5, 1.0, 2.0, 1.5] only.
//   "multi_tau1":     the "multi" input with tau = 1 for the regularisers, the composite losses
//                     and the predicted marginals.
//
// Keys: loss names; "reg.<name>" = regulariser at the case's tau; "decomp.<name>" = decomposition
// term (tau = 1, per image, mean over images with a valid pixel).
// Marginals: one row per image WITH at least one valid pixel (rows of images without one are left
// out: binary has 2 rows, for images 0 and 1); target = yhat, pred = phat at the case's tau.

"""


def main():
    z_multi, y_multi = make_logits(2, 4, 5, 6), make_multi_labels()
    z_binary, y_binary = make_logits(3, 2, 4, 7), make_binary_labels()
    check_inputs(y_multi, y_binary)

    body = ""
    for name, z, y, tau in [("multi", z_multi, y_multi, TAU),
                            ("binary", z_binary, y_binary, TAU),
                            ("multiTau1", z_multi, y_multi, 1.0)]:
        values, yhat, phat = case_values(z, y, tau)
        body += swift_dict(name, values)
        body += swift_matrix(name + "MarginalsTarget", yhat)
        body += swift_matrix(name + "MarginalsPred", phat)
        print(f"{name:>14} (tau={tau:g}): {len(values)} values, marginals {phat.shape}, "
              f"ce={values['ce']:.6f}")
    weighted = {"ce": float(loss_ce(z_multi, y_multi, CLASS_WEIGHTS))}
    body += swift_dict("multiWeighted", weighted)
    print(f"{'multiWeighted':>14}: ce={weighted['ce']:.6f}")

    text = (HEADER + "/// Reference values computed independently in numpy (float64) by "
            "Scripts/reference/losses_reference.py.\nenum ReferenceValues {\n" + body + "}\n")
    out = Path(__file__).resolve().parents[2] / "Tests" / "MarginalCoreTests" / "ReferenceValues.swift"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
