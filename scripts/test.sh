#!/usr/bin/env bash
# Runs every test of the project: the core (unit, property and store tests), the CLI's tests,
# and a lint pass. This is the README's test command, and what CI runs (.ci/run).
# Needs only a Rust toolchain; the first build compiles SQLCipher and OpenSSL (a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
