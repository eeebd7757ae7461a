#!/usr/bin/env bash
# Runs every test of the project: the core (unit, property and store tests), the CLI's tests
# (bad input, sync, SIGKILL), the end-to-end tests (phones and a centre over loopback), and format
# and lint checks. This is the README's test command, and what CI runs (.ci/run).
# Needs only a Rust toolchain; the first build compiles SQLCipher and OpenSSL (a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"

# One closing line over every test binary (cargo prints one per binary, the last often a
# doc-test run with nothing in it).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "\ntests: %d passed, %d failed\n", p, f }' "$log"
