#!/usr/bin/env bash
# Installs the Debian packages marginal builds, runs and tests with (skips those already there).
# Used by the README's quick start and by .ci/run; needs root or sudo.
set -euo pipefail
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
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
