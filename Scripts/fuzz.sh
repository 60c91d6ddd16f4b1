#!/bin/sh
# A long fuzzing run of every file reader (issue 16): the suite's seeded mutation harness
# (Tests/MarginalEngineTests/ReaderFuzzTests.swift, TestSupport's MutationFuzzer) with COUNT
# mutated inputs per reader instead of the suite's bounded pass.
#   Scripts/fuzz.sh [COUNT] [SEED]      (default 1000000 inputs per reader, seed 16)
# A trap ends the run; the input being read is kept in $TMPDIR/marginal-fuzz-crash-<reader>.bin
# (a hang: marginal-fuzz-hang-<reader>.bin). Prints one line per reader: inputs, read, refused, time.
set -eu
count=${1:-1000000}
seed=${2:-16}
cd "$(dirname "$0")/.."
swift build --build-tests -c "${CONFIGURATION:-debug}" >/dev/null
MARGINAL_FUZZ_COUNT=$count MARGINAL_FUZZ_SEED=$seed \
    swift test --skip-build -c "${CONFIGURATION:-debug}" --filter ReaderFuzzTests 2>&1 | grep -E '^fuzz |✘|passed after|failed|Fatal|error'
