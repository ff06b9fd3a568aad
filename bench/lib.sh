# Shared by the benchmark scripts: a release server with one tenant `bench` (host bench.test) on the real disk,
# an admin, 500 patients, and wrk helpers. Source it after setting `port`; it sets `base`, `work`, `token`.
source bench/prepare.sh
cat > "$work/tenants/bench.yaml" <<YAML
id: bench
name: Bench Clinic
domain: clinic
hosts: [bench.test]
features: [patients, appointments, reports]
timezone: Europe/Berlin
currency: EUR
branches: [{code: main, name: Main}]
# wrk sends tens of thousands of requests a minute; the default limit (600) would answer most with 429.
limits: {requests_per_minute: 1000000}
YAML
password="tidal lantern meadow 2026"
echo "$password" | "$binary" user add --tenant bench --email admin@bench.test --role admin --tenants "$work/tenants" --data "$work/data" >/dev/null

"$binary" serve --tenants "$work/tenants" --data "$work/data" --port "$port" --metrics-address off --log-level error &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.05; done
base="http://127.0.0.1:$port"
token=$(curl -sf -H "Host: bench.test" -H "Content-Type: application/json" \
    -d "{\"email\":\"admin@bench.test\",\"password\":\"$password\"}" "$base/api/v1/auth/token" | sed 's/.*"token":"\([^"]*\)".*/\1/')

# 500 patients to list from.
for i in $(seq 1 500); do
    curl -sf -o /dev/null -H "Host: bench.test" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
        -d "{\"first_name\":\"Seed$i\",\"last_name\":\"Patient$i\",\"phone\":\"+49 30 555 $i\",\"date_of_birth\":\"1980-01-01\",\"confirm_new\":true}" \
        "$base/api/v1/patients"
done

# Signs EMAIL (default the admin) in through the login form, as a browser does; sets `page` to the headers that
# carry the session (for curl and wrk).
sign_in_page() {
    local jar="$work/cookies-${1:-admin}" login csrf session
    login=$(curl -sf -c "$jar" -H "Host: bench.test" "$base/login")
    csrf=$(printf '%s' "$login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
    curl -sf -o /dev/null -b "$jar" -c "$jar" -H "Host: bench.test" --data-urlencode "csrf_token=$csrf" \
        --data-urlencode "email=${1:-admin@bench.test}" --data-urlencode "password=$password" "$base/login"
    session=$(awk '$6 == "cbx_session" {print $7}' "$jar")
    [ -n "$session" ] || { echo "sign-in failed" >&2; exit 1; }
    page=(-H "Host: bench.test" -H "Cookie: cbx_session=$session")
}

# Prints "requests/s p99-ms non-2xx" for one wrk run.
measure() {
    wrk --latency "$@" | awk '
        /Requests\/sec/ {rps = $2}
        /^ +99%/ {v = $2; if (v ~ /us$/) {sub("us", "", v); v = v / 1000} else if (v ~ /ms$/) {sub("ms", "", v)} else if (v ~ /s$/) {sub("s", "", v); v = v * 1000}; p99 = v}
        /Non-2xx/ {bad = $5}
        END {printf "%s %.2f %d\n", rps, p99, bad}'
}
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
machine() {
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
    echo "date: $(date -u +%Y-%m-%d)"
}

# The fsync limit of this disk (`duration` seconds): a bare insert loop, one transaction (one commit, one fsync) per
# insert, as the scripts' durable writes are compared with in the same run.
bare() {
    python3 - "$work/bare.sqlite" "$duration" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT)")
end = time.monotonic() + float(sys.argv[2]); n = 0
while time.monotonic() < end:
    db.execute("BEGIN IMMEDIATE"); db.execute("INSERT INTO t (name, phone) VALUES (?, ?)", ("Bench Create", "+49 30 555 0100")); db.execute("COMMIT"); n += 1
print(f"{n / float(sys.argv[2]):.1f}")
PY
}
