#!/usr/bin/env bash
# A guided tour of the CLI: a short field session through the `gadeplan` CLI in a temporary,
# encrypted store. A worker notes a citizen, scores the Brøset checklist before approaching,
# records the contact, pre-screens (some criteria not known yet), judges the stage of change,
# opens a course with the motivation questionnaire, notes the same man twice under another
# spelling, and reads the screens back.
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

step "pre-screening, first talk: two criteria met, the rest not known yet: nothing indicated, undecided"
g screen --person "$jens" --criteria drug-use,burdened-situation --high-burden mental-health --decision undecided

step "pre-screening, after talking with the shelter: all criteria met, three areas high: indicated, in"
g screen --person "$jens" --criteria section-101,drug-use,limited-treatment-use,multi-system-need,burdened-situation \
  --high-burden mental-health,economy,crime --not-met physical-health,family-social --decision in

step "stage of change: contemplation; his own goal, and the seed's four scales"
g stage --person "$jens" --stage contemplation --recovery-goal "at få en lejlighed hvor hunden må være" \
  --importance 9 --confidence 4 --life-control 3 --craving 7

step "a course, motivation work begins: the motivation questionnaire is due, and taken"
g course open --person "$jens" --found-via own-outreach >/dev/null
g course phase --person "$jens" --phase motivation >/dev/null
g person show "$jens" | grep -A3 '"questionnaires_due"' | head -n 4
g questionnaire --person "$jens" --instrument motivation --answers 4,4,,3,5,2

step "Jonas notes 'Hundejens' at the shelter: a possible duplicate, named (nothing refused)"
g person add --alias "Hundejens" | grep -E '"(code|da)"'
g duplicates | grep -E '"alias(_distance)?"'

step "open courses not talked with in 14 days (none: the contact above was a conversation)"
g not-talked-with

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
