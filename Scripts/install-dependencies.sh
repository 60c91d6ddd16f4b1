#!/usr/bin/env bash
# Installs what marginal builds, runs and tests with: the Debian packages (skipping those already
# there), then the Python environment of the PyTorch companion and the cross-check tests, `.venv/`
# in the repo (ignored by git): torch, tensorboard and python/ (marginal_torch). The tests run
# `.venv/bin/python` (python3 on PATH where there is no .venv).
# Used by the README's quick start and by .ci/run; needs root or sudo for the Debian packages.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
packages=(
  pkg-config        # finds the C libraries below for SwiftPM's system-library targets
  libcairo2-dev     # MarginalPlot: PNG and PDF figures
  fonts-dejavu-core # the figures' typeface (their text is laid out with DejaVu Sans)
  libopenblas-dev   # MarginalEngine: convolutions as matrix products (cblas_sgemm)
  libpng-dev        # folder:PATH datasets and run previews (PNG images and palette masks)
  zlib1g-dev        # reading the gzipped Fashion-MNIST files
  dataset-fashion-mnist  # the real images of the fashion dataset
  libncursesw5-dev  # CursesTerminal: the TUI (wide characters, braille)
  tmux              # end-to-end tests drive the TUI in a real terminal
  python3-venv      # Debian's python3 -m venv, for .venv below
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Python side: one interpreter with torch (the companion's losses, the cross-check against
# `marginal decompose`) and tensorboard (EventAccumulator, the check of marginal's event files).
# PyPI's default torch wheel carries CUDA libraries (a few GB, minutes to fetch); it runs on CPU.
venv="$repo/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --progress-bar off \
  torch tensorboard numpy "$repo/python"
"$venv/bin/python" -c "import torch, tensorboard, marginal_torch; print('python:', torch.__version__, 'torch,', tensorboard.__version__, 'tensorboard in', '$venv')"
