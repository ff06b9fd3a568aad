# Shared by the benchmark scripts: the tools they need, a release build, and a scratch folder `work` (with
# tenants/ and data/) on the real disk, not a tmpfs, so fsync costs what it costs in production. The server the
# script starts as `server` is stopped and the folder removed on exit. Sets `binary` (`CLINICBOX_BINARY` to
# measure another build) and `work`.
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }

# CLINICBOX_BINARY measures another build (an older commit's, for a before/after on the same box).
if [ -n "${CLINICBOX_BINARY:-}" ]; then
    binary=$CLINICBOX_BINARY
else
    swift build -c release --product clinicbox >/dev/null
    binary=$PWD/.build/release/clinicbox
fi
work=$(mktemp -d "$PWD/.build/bench-XXXXXX")
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/tenants" "$work/data"
