#!/usr/bin/env bash
# ClinicBox beside the FastAPI peer: runs ../shared/peer/side-by-side.sh unchanged but for one thing. Its seeding
# registers First1 Last1, First2 Last2, … all born 1980-01-01, which ClinicBox's duplicate check rightly asks about
# (same birthday, names one letter apart); here each seeded patient says it is a different person (confirm_new).
# Usage, from the project root: bench/side-by-side.sh [seconds-per-round]
set -euo pipefail
cd "$(dirname "$0")/.."
peer=$(cd ../shared/peer && pwd)
script=$(mktemp)
trap 'rm -f "$script"' EXIT
python3 - "$peer" "$script" <<'PY'
import sys
peer, out = sys.argv[1], sys.argv[2]
text = open(f"{peer}/side-by-side.sh").read()
seed = '\\"date_of_birth\\":\\"1980-01-01\\"}"'
assert seed in text and 'here=$(cd "$(dirname "$0")" && pwd)' in text, "the shared script changed: look again at what this wrapper replaces"
text = text.replace(seed, '\\"date_of_birth\\":\\"1980-01-01\\",\\"confirm_new\\":true}"')
text = text.replace('here=$(cd "$(dirname "$0")" && pwd)', f"here={peer}")
open(out, "w").write(text)
PY
bash "$script" "$@"
