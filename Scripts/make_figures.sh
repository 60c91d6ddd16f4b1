#!/usr/bin/env bash
# Regenerates the README's figures in assets/figures/ with the marginal binary itself, so they
# always show what the commands print. Run from anywhere: bash Scripts/make_figures.sh
# Needs the Debian packages of Scripts/install-dependencies.sh (Cairo, with fonts-dejavu-core).
# The output is deterministic: the same build on the same Cairo gives the same bytes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
swift build --product marginal >/dev/null
marginal="$(swift build --show-bin-path)/marginal"
out="assets/figures"
mkdir -p "$out"

for ext in svg png; do
  # The paper's Fig. 2: the raw penalties at ŷ₁ = 0.1.
  "$marginal" curves --yhat 0.1 --out "$out/fig2-penalties.$ext"
  # The whole label-marginal part of CE-based losses: only KL + λ·DB₁ moves away from ŷ₁.
  "$marginal" curves --yhat 0.1 --lambda 1 --penalties kl,kl+db1,kl+l1 --out "$out/fig2-composites.$ext"
  # Proposition 1: Dice's bias is smallest at the vertex of the largest class.
  "$marginal" simplex --yhat 0.6,0.3,0.1 --penalty db --out "$out/simplex-dice-bias.$ext"
  # CE's hidden KL over the simplex: smallest at ŷ, infinite on the edges.
  "$marginal" simplex --yhat 0.6,0.3,0.1 --penalty kl --out "$out/simplex-kl.$ext"
  # The paper's Fig. 5: soft-max with temperature.
  "$marginal" softmax --tau 1,2,5,10 --out "$out/fig5-softmax.$ext"
done
ls -l "$out"
