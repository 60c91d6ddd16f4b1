#!/usr/bin/env bash
# Does a 2-process torchrun run of python/examples/train_unet.py reach the validation mIoU of a
# 1-process run with the same global batch? Exports `lesions` once as a folder:PATH set (its
# dataset.json fixes the split), trains UNet-S with ce_l1 for each seed in 1 process and under
# `torchrun --nproc-per-node 2` (global batch 8: 4 images a process), and with `marginal train`
# on the same folder, then prints `marginal runs compare` of all of them and the mean ± std of
# the last validation mIoU of each. Run from anywhere; a few minutes a run on a 2-core CPU at the defaults.
#
#   Scripts/ddp_parity.sh [--steps 400] [--seeds "1 2 3"] [--out ddp-parity]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps=400 seeds="1 2 3" out=ddp-parity eval_every=100
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --eval-every) eval_every="$2"; shift 2 ;;
    *) echo "ddp_parity.sh: unknown option $1 (--steps N, --seeds \"1 2 3\", --out DIR, --eval-every N)" >&2; exit 2 ;;
  esac
done
python="$root/.venv/bin/python"
[ -x "$python" ] || { echo "ddp_parity.sh: no $python; run Scripts/install-dependencies.sh" >&2; exit 2; }
swift build --package-path "$root" --product marginal >/dev/null
marginal="$(swift build --package-path "$root" --show-bin-path)/marginal"
[ -e "$out" ] && { echo "ddp_parity.sh: $out exists; remove it or pick another --out" >&2; exit 2; }
mkdir -p "$out"
runs="$out/runs" data="$out/lesions"
"$marginal" dataset export --dataset lesions --out "$data" --seed 1

script="$root/python/examples/train_unet.py"
common=(--dataset "folder:$data" --loss ce_l1 --steps "$steps" --batch 8 --eval-every "$eval_every" --threads 1 --runs-dir "$runs")
names=()
for seed in $seeds; do
  "$python" "$script" "${common[@]}" --seed "$seed" --run "p1-$seed"
  "$python" -m torch.distributed.run --nproc-per-node 2 "$script" -- "${common[@]}" --seed "$seed" --run "p2-$seed"
  "$marginal" train "${common[@]}" --seed "$seed" --run "m-$seed"
  names+=("p1-$seed" "p2-$seed" "m-$seed")
done

"$marginal" runs compare --runs-dir "$runs" "${names[@]}"
"$python" - "$runs" $seeds <<'PY'
import json, os, statistics, sys
runs, seeds = sys.argv[1], sys.argv[2:]
def last_miou(name):
    with open(os.path.join(runs, name, "metrics.jsonl")) as file:
        return [json.loads(line) for line in file if '"eval"' in line][-1]["miou"]
for prefix, engine in (("p1", "train_unet.py, 1 process"), ("p2", "torchrun, 2 processes"), ("m", "marginal train")):
    values = [100 * last_miou(f"{prefix}-{seed}") for seed in seeds]
    spread = statistics.pstdev(values) if len(values) > 1 else 0.0
    print(f"{engine}: validation mIoU {statistics.mean(values):.2f} ± {spread:.2f} % "
          f"over seeds {', '.join(seeds)} ({', '.join(f'{v:.2f}' for v in values)})")
PY
