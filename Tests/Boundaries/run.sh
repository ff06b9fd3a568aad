#!/usr/bin/env bash
# The core names no feature module, and each module uses only the modules it declares: checked in the target graph
# of Package.swift and in the sources, so a wrong import fails CI even where SwiftPM would let it through.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift package describe --type json > .build/targets.json
python3 Tests/Boundaries/check.py .build/targets.json
echo "boundaries: the core names no module; every module imports only what Package.swift lets it"
