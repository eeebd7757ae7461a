#!/usr/bin/env bash
# The main job: `gadeplan demo`. A centre starts in this process on a loopback port; three phones
# of two teams record a simulated week of outreach, offline for stretches and over a connection
# that drops and repeats; they sync until quiet; the centre's report is printed; and the run checks
# that the centre and every phone agree, with nothing lost, doubled or leaked between teams.
# Exits non-zero if any check fails. Extra arguments go to the demo (e.g. --seed 42).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p gadeplan
exec target/release/gadeplan demo "$@"
