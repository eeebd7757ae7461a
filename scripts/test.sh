#!/usr/bin/env bash
# Runs every test of the project: the core (unit, property and store tests), the CLI's tests
# (bad input, sync, SIGKILL), the end-to-end tests (phones and a centre over loopback), the
# centre's storage conformance suite on SQLite and PostgreSQL, the end-to-end suites again with
# the centre on PostgreSQL, schemathesis against the centre's OpenAPI description, the Kotlin
# bindings on the JVM, the team leader's page in headless Chromium, and format and lint checks.
# This is the README's test command, and what CI runs (.ci/run). Needs a Rust toolchain, Java 17+, npm
# and apt (Debian/Ubuntu); the first run compiles SQLCipher and OpenSSL and fetches kotlinc, JNA
# and JUnit (a few minutes), and installs Debian's faketime (the clock tests run phones under it),
# PostgreSQL, Chromium and npm's playwright-core when missing. The PostgreSQL server is a
# throwaway one (`scripts/postgres.sh`): made in a temporary directory, on a loopback port, as an
# unprivileged user, and stopped at the end; so is the demo's centre the browser drives.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null || ! command -v unshare >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq faketime util-linux >/dev/null
fi

cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

log="$(mktemp)"
pg="$(mktemp -u /tmp/gadeplan-pg.XXXXXX)"
trap 'rm -f "$log"; scripts/postgres.sh stop "$pg"' EXIT
GADEPLAN_TEST_POSTGRES="$(scripts/postgres.sh start "$pg")"
export GADEPLAN_TEST_POSTGRES
# A suite that needs PostgreSQL fails rather than skips when the server is missing.
export GADEPLAN_REQUIRE_POSTGRES=1

cargo test --workspace --locked 2>&1 | tee "$log"

# The end-to-end suites again with the centre on PostgreSQL: every suite of tests/ but the
# embedded store's upgrades (which open its file) and full disk (its data directory on a small
# disk), and the two that run on PostgreSQL whatever the backend (several centre processes, the
# database failing), which ran above.
suites=()
for f in tests/tests/*.rs; do
  name="$(basename "$f" .rs)"
  case "$name" in
    upgrade | full_disk | several_centres | database_faults) ;;
    *) suites+=(--test "$name") ;;
  esac
done
echo "end-to-end suites with the centre on PostgreSQL"
GADEPLAN_TEST_BACKEND=postgres cargo test --locked -p gadeplan-tests "${suites[@]}" 2>&1 | tee -a "$log"

# The running centre fuzzed against its OpenAPI description (schemathesis, from PyPI, installed
# into target/ on first use), at a small size; scripts/schemathesis.sh 500 for the larger run.
scripts/schemathesis.sh 20 2>&1 | tee -a "$log"

# The Kotlin bindings on the JVM, against a real centre (installs kotlinc, JNA, JUnit if missing).
bindings/kotlin-test.sh 2>&1 | tee -a "$log"

# The centre's page in a real browser: Debian's Chromium and npm's playwright-core (installed
# when missing) against `gadeplan demo --serve` on a loopback port; screenshots in
# target/browser-artefacts/.
scripts/browser-test.sh 2>&1 | tee -a "$log"

# One closing line over every test binary (cargo prints one per binary, the last often a
# doc-test run with nothing in it) and the JUnit run.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     /tests successful/ { p += $2 }
     /^browser: / { p += $2; f += $4 }
     /tests failed/ { f += $2 }
     END { printf "\ntests: %d passed, %d failed\n", p, f }' "$log"
