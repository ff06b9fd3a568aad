#!/usr/bin/env bash
# The release build for a box without a Swift toolchain (README "Running it on a clinic's box"): the Swift runtime
# linked in statically, then run with the toolchain out of reach — hidden behind an empty mount when root, and in
# any case with an empty environment — where it must check the example tenants and answer /healthz.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=.build-static
swift build -c release --static-swift-stdlib --product clinicbox --scratch-path "$scratch"
binary=$PWD/$scratch/release/clinicbox

if ldd "$binary" | grep -i swift; then
    echo "FAIL: the release binary still links Swift libraries dynamically" >&2
    exit 1
fi
if ldd "$binary" | grep -i argon2; then
    echo "FAIL: the release binary links libargon2; passwords are hashed by swift-crypto inside it" >&2
    exit 1
fi
echo "dynamic libraries: $(ldd "$binary" | awk '{print $1}' | tr '\n' ' ')"

toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
port=$((20000 + RANDOM % 20000))
probe='
set -e
"$1" check tenants.d
"$1" serve --tenants tenants.d --data "$2" --port "$3" --metrics-address off --log-level error & server=$!
for i in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen(\"http://127.0.0.1:$3/healthz\", timeout=1)" 2>/dev/null; then
        kill -TERM $server; wait $server; echo "served /healthz without the toolchain"; exit 0
    fi
    sleep 0.1
done
kill $server; echo "FAIL: /healthz never answered" >&2; exit 1
'
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
    # A private mount namespace where the toolchain folder is an empty tmpfs.
    unshare -m env -i PATH=/usr/bin:/bin bash -c "mount -t tmpfs none '$toolchain' && bash -c '$probe' probe '$binary' '$data' $port"
else
    echo "not root: the toolchain stays on disk; running with an empty environment only"
    env -i PATH=/usr/bin:/bin bash -c "$probe" probe "$binary" "$data" $port
fi
