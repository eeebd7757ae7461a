#!/usr/bin/env bash
# Runs every fuzz target for a while, then shrinks the corpus to the inputs that matter, and
# prints how many executions each target ran. Needs the nightly toolchain and cargo-fuzz (both
# installed here when missing). Usage: fuzz/run.sh [seconds for the slowest target, default 600]
#
# Without a sanitizer (-s none): the code under test is safe Rust, so what the fuzzer hunts is a
# panic, an abort, a hang or runaway memory, and instrumenting less runs many more inputs.
# With debug assertions (-a): integer overflow panics instead of wrapping.
set -euo pipefail
cd "$(dirname "$0")"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

slow=${1:-600}
# Seconds per target, scaled to how fast each runs (phone_sync copies and opens an encrypted
# store for every input; entry_payload parses JSON in memory).
declare -A share=([entry_payload]=10 [phone_answer]=20 [centre_request]=50 [phone_sync]=100)
total=0
mkdir -p logs
for target in entry_payload phone_answer centre_request phone_sync; do
  seconds=$(( slow * ${share[$target]} / 100 ))
  [ "$seconds" -ge 1 ] || seconds=1
  cargo +nightly fuzz run -s none -a "$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"logs/$target.log" 2>&1 || {
    echo "$target FAILED: see fuzz/logs/$target.log and fuzz/artifacts/$target/" >&2
    tail -30 "logs/$target.log" >&2
    exit 1
  }
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "logs/$target.log")
  echo "$target: $runs executions in $seconds s, no failure"
  total=$(( total + runs ))
  cargo +nightly fuzz cmin -s none -a "$target" >"logs/$target.cmin.log" 2>&1
done
echo "all targets: $total executions, no failure; corpus: $(find corpus -type f | wc -l) inputs"
