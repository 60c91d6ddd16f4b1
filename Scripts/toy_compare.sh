#!/usr/bin/env bash
# Regenerates docs/toy.md: `marginal toy --compare` for every scenario (seed 1, 300 Adam steps,
# each loss at its default λ, τ = 10), with the reading written below. Run from anywhere.
# If a table changes, read it again and update the reading: it speaks of these numbers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift build -c release --product marginal >/dev/null
marginal="$(swift build -c release --show-bin-path)/marginal"
{
cat <<'MD'
# The toy version of the paper's Table 4

Each table trains a per-pixel softmax regression on one 64 × 64 toy whose classes overlap in
feature space (`--separation 1.5`), with every loss of docs/CONVENTIONS.md, the same seed, 300
Adam steps at learning rate 0.05, default λ (1 for ce_l1, 0.1 for the other composites) and
τ = 10. Rows: losses; left, per-class IoU and mIoU; right, the hard (argmax) proportion of
each class against ŷ. Regenerate with `bash Scripts/toy_compare.sh`.

## What it shows

- **CE under-segments small structures, although it matches their soft proportion.** On
  `small-lesion` CE predicts 1.6 % lesion for ŷ = 2.1 %, and on `organ-tumour` 1.6 % tumour
  for 2.3 %; its soft p̂ (not shown; `marginal toy --loss ce --json`) is within 10 % of ŷ. This
  is the paper's reading of CE's hidden KL term: it pulls the *soft* marginal to ŷ, not the
  argmax.
- **CE + λ·L1 with τ = 10 fixes the hard proportion.** `ce_l1` lands on ŷ (2.0 % for 2.1 %,
  10.1 % for 10.1 %, 30.9 % for 30.9 %, 2.3 % tumour for 2.3 %) and raises the small
  structure's IoU over CE (lesion 55.7 → 60.6, tumour 49.1 → 52.4): the paper's Ours(L1).
- **CE + λ·DB erases small structures** (Proposition 1): `ce_db1` drives the lesion to 0.0 %
  (IoU 2.4) and `ce_db` the tumour to 0.6 % (IoU 23.2), exactly the bias towards the vertex of
  the largest class.
- **Dice's per-class terms keep the rarest class.** On `street`, CE, ce_kl, ce_l1 and ce_db all
  drop the 1 % `sign` class (IoU 0.0), while dice (9.8), log_dice (12.6) and gdice (15.7) find
  some of it, as the paper's Table 4 argues for Dice on small classes.

## Where the toy does not reproduce the paper

- **ce_l1 does not rescue the rarest street class.** The paper's L1 term improves small
  classes on Cityscapes; here `sign` stays at 0 % for ce_l1 (its proportion matches ŷ only on
  the larger classes). With a linear model on overlapping features, no setting of the weights
  separates `sign` from `building` well enough; Dice gets there by over-predicting it.
- **ce_kl behaves like CE.** With λ = 0.1 the explicit KL term adds little to the KL that CE
  already hides, so its rows match CE's within a point; the paper's gains for Ours(KL) come from
  real networks and larger λ.
- **The medium and large lesions show no difference worth reading**: every loss is within one
  IoU point, since the classes are balanced enough that no bias dominates. The paper makes the
  same point: the losses differ most for extreme imbalance.
- **gdice over-predicts on street** (road 25.3 % for 38.5 %, car 11.9 % for 7.0 %): its
  1/n² weights favour the small classes strongly, a bias the paper does not discuss.

MD
for scenario in small-lesion medium-lesion large-lesion organ-tumour street; do
  echo "## $scenario"
  echo
  echo '```'
  "$marginal" toy --scenario "$scenario" --compare --seed 1 --steps 300
  echo '```'
  echo
done
} > docs/toy.md.partial
mv docs/toy.md.partial docs/toy.md
echo "wrote docs/toy.md"
