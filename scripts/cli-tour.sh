#!/usr/bin/env bash
# A guided tour of the CLI: a short field session through the `gadeplan` CLI in a temporary,
# encrypted store. A worker notes a citizen, scores the Brøset checklist before approaching,
# records the contact, pre-screens, judges the stage of change, and reads the screens back.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p gadeplan >&2
gadeplan="$PWD/target/release/gadeplan"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A random 256-bit key, as the phone keeps in its Keystore/Keychain, readable by its owner only
# (the CLI refuses a key file others may read).
(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/key")
g() { "$gadeplan" --store "$work/field.db" --key-file "$work/key" "$@"; }
id_of() { sed -n 's/^  "id": "\([^"]*\)".*/\1/p' | head -n 1; }
step() { printf '\n== %s\n' "$*"; }

step "init: this phone belongs to Mette"
g init --worker Mette --device demo-phone

step "a citizen known only as 'Hunde-Jens'"
jens=$(g person add --alias "Hunde-Jens" --description "grey dog, green sleeping bag, Enghave Plads" | tee /dev/stderr | id_of)

step "Brøset before the approach: irritable and loud (2 = moderate: start de-escalation)"
check=$(g risk --person "$jens" --observed irritability,boisterousness | tee /dev/stderr | id_of)

step "the contact, with a colleague, after that risk check"
g contact --person "$jens" --place "Enghave Plads" --place-kind park --kind conversation \
  --outcome contact-made --with Jonas --minutes 20 --note "Wants a shelter bed for the dog too" --risk-check "$check"

step "a high score without a plan is refused, and nothing is recorded"
g risk --person "$jens" --observed confusion,verbal-threats,physical-threats || echo "(refused, as it should be)"

step "pre-screening: all criteria met, three areas of high burden: indicated, and decided in"
g screen --person "$jens" --criteria section-101,drug-use,limited-treatment-use,multi-system-need,burdened-situation \
  --high-burden mental-health,economy,crime --decision in

step "stage of change: contemplation, importance 7, confidence 3"
g stage --person "$jens" --stage contemplation --importance 7 --confidence 3

step "an unknown citizen, assessed from a distance and not approached"
g risk --unknown "young woman by the fountain, red cap" --observed verbal-threats,physical-threats,attacks-on-objects \
  --plan "do not approach; come back with two colleagues tomorrow"

step "the persons list (the phone's first screen)"
g person list

step "Hunde-Jens's timeline"
g person show "$jens"

step "today's log"
g log --today | grep -E '"(kind|occurred_at)"'
printf '\nDone: the store was encrypted with a random key in %s and is now deleted.\n' "$work"
