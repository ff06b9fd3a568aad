#!/usr/bin/env bash
# ClinicBox chart benchmark (issue #17): the chart page of a patient with 200 timeline entries (100 appointments,
# 70 visits, 30 prescriptions), signed in, measured with wrk in the same run as /healthz.
# Usage: bench/chart.sh [duration-seconds]   (prints a report; copy the figures into bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=18086
source bench/lib.sh

# The clinic gets visits and prescriptions (the running server picks the edit up) and a doctor.
sed -i 's/^features: .*/features: [patients, appointments, visits, prescriptions, reports]/' "$work/tenants/bench.yaml"
api() { curl -sf -H "Host: bench.test" -H "Authorization: Bearer $1" -H "Content-Type: application/json" "${@:2}"; }
until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: bench.test" -H "Authorization: Bearer $token" "$base/api/v1/visits")" = 200 ]; do sleep 0.2; done
echo "$password" | "$binary" user add --tenant bench --email doctor@bench.test --role clinician --name "Dr Bench" --tenants "$work/tenants" --data "$work/data" >/dev/null
doctor=$(curl -sf -H "Host: bench.test" -H "Content-Type: application/json" \
    -d "{\"email\":\"doctor@bench.test\",\"password\":\"$password\"}" "$base/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')
doctor_id=$(api "$doctor" -d '{"patient_id":2,"branch":"main"}' "$base/api/v1/visits" | sed 's/.*"practitioner_id":\([0-9]*\).*/\1/')
for i in $(seq 1 100); do
    day=$(date -d "-$i days" +%F)
    api "$token" -o /dev/null -d "{\"patient_id\":1,\"practitioner_id\":$doctor_id,\"branch\":\"main\",\"start\":\"${day}T09:00\",\"reason\":\"Review $i\"}" "$base/api/v1/appointments"
done
for i in $(seq 1 70); do
    visit=$(api "$doctor" -d "{\"patient_id\":1,\"branch\":\"main\",\"temperature\":37.$((i % 10)),\"subjective\":\"Visit $i\",\"diagnoses\":[{\"description\":\"Essential hypertension\",\"icd10_code\":\"I10\"}]}" "$base/api/v1/visits" | sed 's/^{"id":\([0-9]*\).*/\1/')
    if [ $((i % 2)) = 0 ]; then curl -sf -o /dev/null -H "Host: bench.test" -H "Authorization: Bearer $doctor" -X POST "$base/api/v1/visits/$visit/sign"; fi
done
for i in $(seq 1 30); do
    api "$doctor" -o /dev/null -d "{\"patient_id\":1,\"items\":[{\"medicine\":\"Amlodipine\",\"strength\":\"5 mg\",\"dose\":\"1 daily\",\"quantity\":28}]}" "$base/api/v1/prescriptions"
done
entries=$(api "$token" "$base/api/v1/patients/1/chart?limit=5000" | grep -o '"kind":' | wc -l)
echo "timeline entries of patient 1: $entries"

sign_in_page doctor@bench.test
shown=$(curl -sf "${page[@]}" "$base/patients/1" | grep -c "<li><span class=\"muted\">" || true)
echo "chart page timeline lines: $shown"

machine
wrk -t2 -c64 -d2s "$base/healthz" >/dev/null  # warm-up
health=(); chart=(); chart_p99=(); json=(); json_p99=()
for round in 1 2 3; do
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "$base/healthz"); health+=("$rps")
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" "${page[@]}" "$base/patients/1")
    chart+=("$rps"); chart_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the chart page"
    read -r rps p99 bad < <(measure -t2 -c64 -d"${duration}s" -H "Host: bench.test" -H "Authorization: Bearer $doctor" "$base/api/v1/patients/1/chart")
    json+=("$rps"); json_p99+=("$p99")
    [ "$bad" = 0 ] || echo "WARNING: $bad non-2xx answers to the chart API"
done
echo "GET /healthz, 64 connections: $(median "${health[@]}") req/s (rounds: ${health[*]})"
echo "GET /patients/1 (chart, 200 timeline entries, session cookie), 64 connections: $(median "${chart[@]}") req/s (rounds: ${chart[*]}), p99 ms: ${chart_p99[*]}"
echo "GET /api/v1/patients/1/chart (the same timeline as JSON, bearer token), 64 connections: $(median "${json[@]}") req/s (rounds: ${json[*]}), p99 ms: ${json_p99[*]}"
echo "ratio chart API/healthz: $(echo "scale=3; $(median "${json[@]}") / $(median "${health[@]}")" | bc)"
echo "ratio chart/healthz: $(echo "scale=3; $(median "${chart[@]}") / $(median "${health[@]}")" | bc)"
