#!/usr/bin/env bash
# ClinicBox page benchmark (issue #5): the dashboard and a 50-row patient list page, rendered from Mustache with a
# session cookie, each measured with wrk in the same run as /healthz.
# Usage: bench/pages.sh [duration-seconds]   (prints a report; copy the figures into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=18082
source bench/lib.sh

sign_in_page
rows=$(curl -sf "${page[@]}" "$base/patients" | grep -c '<tr><td[^>]*>P-')
echo "patient list page rows: $rows"

machine
wrk -t2 -c64 -d2s "$base/healthz" >/dev/null  # warm-up
health=(); dashboard=(); dashboard_p99=(); list=(); list_p99=()
for round in 1 2 3; do
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "$base/healthz"); health+=("$rps")
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "${page[@]}" "$base/")
    dashboard+=("$rps"); dashboard_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the dashboard"
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "${page[@]}" "$base/patients")
    list+=("$rps"); list_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the list page"
done
echo "GET /healthz, 64 connections: $(median "${health[@]}") req/s (rounds: ${health[*]})"
echo "GET / (dashboard, session cookie), 64 connections: $(median "${dashboard[@]}") req/s (rounds: ${dashboard[*]}), p99 ms: ${dashboard_p99[*]}"
echo "GET /patients (50 rows, session cookie), 64 connections: $(median "${list[@]}") req/s (rounds: ${list[*]}), p99 ms: ${list_p99[*]}"
echo "ratio dashboard/healthz: $(echo "scale=3; $(median "${dashboard[@]}") / $(median "${health[@]}")" | bc)"
echo "ratio list page/healthz: $(echo "scale=3; $(median "${list[@]}") / $(median "${health[@]}")" | bc)"
