#!/usr/bin/env python3
"""ClinicBox fault suite (issue #6): the real binary under kill -9, an fsync per commit (strace), a full disk, damaged databases, a flood,
100 concurrent writers, a reload storm and 300 slow clients. Each case asserts a clear error and that nothing acknowledged is lost.

Usage: Tests/Faults/run.py [case ...]   (needs .build/debug/clinicbox: `swift build`; disk-full and read-only
use a tmpfs and a read-only bind mount, so they need root and are skipped, loudly, without it)."""
import http.client, json, os, random, shutil, signal, socket, sqlite3, subprocess, sys, tempfile, threading, time, traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, ".build/debug/clinicbox")
PASSWORD = "fault suite passphrase"
IS_ROOT = os.geteuid() == 0


def tenant_yaml(tid, name=None, per_minute=1000000):
    return (f"id: {tid}\nname: {name or 'Clinic ' + tid}\ndomain: clinic\nfeatures: [patients]\n"
            f"timezone: Europe/Berlin\ncurrency: EUR\nlimits: {{requests_per_minute: {per_minute}}}\n")


class Box:
    """A workspace (tenants.d, data) with one admin per tenant, and the real server running on it."""

    def __init__(self, tenants, data=None):
        self.root = tempfile.mkdtemp(prefix="clinicbox-faults-")
        self.tenants_dir = os.path.join(self.root, "tenants.d")
        self.data = data or os.path.join(self.root, "data")
        os.makedirs(self.tenants_dir)
        os.makedirs(self.data, exist_ok=True)
        self.process = None
        self.port = None
        self.log = open(os.path.join(self.root, "server.log"), "ab")
        for tid, per_minute in tenants.items():
            self.write_tenant(tid, per_minute=per_minute)
            self.cli(["user", "add", "--tenant", tid, "--email", f"admin@{tid}.test", "--role", "admin",
                      "--tenants", self.tenants_dir, "--data", self.data], PASSWORD + "\n")
        self.tokens = {}

    def write_tenant(self, tid, name=None, per_minute=1000000, text=None):
        path = os.path.join(self.tenants_dir, tid + ".yaml")
        with open(path + ".tmp", "w") as f:
            f.write(text if text is not None else tenant_yaml(tid, name, per_minute))
        os.replace(path + ".tmp", path)

    def cli(self, args, stdin=None):
        run = subprocess.run([BINARY] + args, input=stdin, capture_output=True, text=True, cwd=self.root)
        if run.returncode != 0:
            raise AssertionError(f"clinicbox {' '.join(args)} failed: {run.stderr}")
        return run.stdout

    def start(self, *extra):
        self.port = free_port()
        self.process = subprocess.Popen(
            [BINARY, "serve", "--tenants", self.tenants_dir, "--data", self.data, "--port", str(self.port), "--log-level", "warning", "--metrics-address", "off", *extra],
            stdout=self.log, stderr=self.log, cwd=self.root)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("the server did not start")

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        code = self.process.wait(timeout=30)
        if sig == signal.SIGTERM:
            check(code == 0, f"the server exits 0 after SIGTERM (got {code})")

    def request(self, method, path, body=None, headers=None, connection=None):
        own = connection is None
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        fields = {"Host": "localhost", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            fields["Content-Type"] = "application/json"
        connection.request(method, path, payload, fields)
        response = connection.getresponse()
        data = response.read()
        if own:
            connection.close()
        return response.status, dict(response.getheaders()), data

    def sign_in(self, tid):
        status, _, data = self.request("POST", f"/t/{tid}/api/v1/auth/token", {"email": f"admin@{tid}.test", "password": PASSWORD})
        check(status == 200, f"sign-in to {tid}: {status} {data[:200]}")
        self.tokens[tid] = json.loads(data)["token"]
        return self.tokens[tid]

    def api(self, method, tid, path, body=None, connection=None):
        token = self.tokens.get(tid) or self.sign_in(tid)
        return self.request(method, f"/t/{tid}/api/v1/{path}", body, {"Authorization": "Bearer " + token}, connection)

    def database(self, tid):
        return os.path.join(self.data, tid + ".sqlite")

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def new_patient(i):
    return {"first_name": "Fault", "last_name": f"Patient{i}-{random.randrange(10**9)}", "phone": "+49 30 555 0100"}


def integrity(path):
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def writers(box, tid, count, seconds, acknowledged, failures, stop=None, times=None, most=None):
    """`count` threads creating patients for `seconds` (or `most` each); every 201's id goes into `acknowledged`, and
    into `times` when given, (sent, answered) by the wall clock."""
    def work(n):
        connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
        end = time.time() + seconds
        i = 0
        while time.time() < end and not (stop and stop.is_set()) and (most is None or i < most):
            i += 1
            sent = time.time()
            try:
                status, _, data = box.api("POST", tid, "patients", new_patient(f"{n}-{i}"), connection)
            except (OSError, http.client.HTTPException):
                return  # the server went away (kill -9): an unanswered write was never acknowledged
            if status == 201:
                acknowledged.append(json.loads(data)["id"])
                if times is not None:
                    times.append((sent, time.time()))
            else:
                failures.append((status, data[:300]))
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    return threads


# --- the cases -------------------------------------------------------------------------------------------------

def kill_9_during_writes():
    box = Box({"alpha": 1000000})
    try:
        box.start()
        box.sign_in("alpha")
        acknowledged, failures = [], []
        # 16 writers, so that commits are shared (group commit): a group answered before its COMMIT returned would
        # lose writes here.
        threads = writers(box, "alpha", 16, 10, acknowledged, failures)
        time.sleep(2.5)
        box.process.kill()  # SIGKILL: no shutdown, no checkpoint
        box.process.wait()
        for t in threads:
            t.join()
        check(len(acknowledged) > 50, f"the load wrote something before the kill ({len(acknowledged)})")
        check(not failures, f"no write failed before the kill: {failures[:3]}")
        box.start()
        connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
        missing = [pid for pid in acknowledged if box.api("GET", "alpha", f"patients/{pid}", connection=connection)[0] != 200]
        check(not missing, f"every acknowledged write survived kill -9 ({len(missing)} of {len(acknowledged)} missing)")
        box.stop()
        check(integrity(box.database("alpha")) == "ok", "integrity_check is ok after kill -9")
        return f"{len(acknowledged)} acknowledged writes from 16 writers, all present after kill -9 and restart; integrity_check ok"
    finally:
        box.close()


def every_commit_is_synced():
    """An acknowledged write survives power loss only if its commit reached the disk: strace counts the server's
    fsyncs while it registers patients one after another (every commit must have one), then while 16 writers register
    at once: writes that arrive together share a commit (fewer syncs than writes), and each acknowledged write still
    had a sync finish between its request and its answer."""
    if shutil.which("strace") is None:
        raise AssertionError("strace is missing (apt-get install strace)")
    box = Box({"alpha": 1000000})
    try:
        box.start()
        box.sign_in("alpha")
        trace = os.path.join(box.root, "strace.out")
        # -f with -p follows every thread of the process, those running now and those started later.
        tracer = subprocess.Popen(["strace", "-f", "-qq", "-ttt", "-T", "-e", "trace=fsync,fdatasync", "-o", trace, "-p", str(box.process.pid)],
                                  stderr=subprocess.PIPE)
        time.sleep(1)  # attached
        if tracer.poll() is not None:
            raise AssertionError(f"strace could not attach: {tracer.stderr.read().decode()[:300]}")
        writes = 30
        for i in range(writes):
            status, _, data = box.api("POST", "alpha", "patients", new_patient(i))
            check(status == 201, f"create {i}: {status} {data[:200]}")
        time.sleep(0.5)
        sequential = len(synced(trace))
        check(sequential >= writes, f"each of {writes} acknowledged commits was synced to disk (saw {sequential} fsync/fdatasync calls)")
        acknowledged, failures, times = [], [], []
        started = time.time()
        for t in writers(box, "alpha", 16, 60, acknowledged, failures, times=times, most=20):
            t.join()
        time.sleep(0.5)
        tracer.send_signal(signal.SIGINT)
        tracer.wait(timeout=10)
        check(not failures and len(acknowledged) == 320, f"16 writers × 20 creates all answered 201 ({len(acknowledged)}, {failures[:2]})")
        ends = sorted(end for end in synced(trace) if end >= started)
        check(len(ends) < len(acknowledged), f"concurrent writes share commits: {len(ends)} syncs for {len(acknowledged)} creates")
        unsynced = [(sent, answered) for sent, answered in times if not any(sent <= end <= answered for end in ends)]
        check(not unsynced, f"every acknowledged create had a sync finish between its request and its answer ({len(unsynced)} had none)")
        return (f"{writes} sequential creates, {sequential} syncs: every commit reached the disk before its 201; 16 writers × 20 "
                f"creates, {len(ends)} syncs, each 201 after a sync that finished during its request")
    finally:
        box.close()


def synced(trace):
    """When each successful fsync/fdatasync in a `strace -f -ttt -T` log finished, by the wall clock."""
    ends = []
    with open(trace) as f:
        for line in f:
            if "sync" not in line or "= 0" not in line:
                continue
            fields = line.split()
            stamp = float(fields[1])
            if "resumed>" in line:  # the second half of a call another thread interrupted: stamped when it returned
                ends.append(stamp)
            else:
                ends.append(stamp + float(line.rsplit("<", 1)[1].rstrip(">\n")))
    return ends


def disk_full():
    if not IS_ROOT:
        return "SKIPPED: needs root for a small tmpfs"
    mount = tempfile.mkdtemp(prefix="clinicbox-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount], check=True)
    box = None
    try:
        box = Box({"alpha": 1000000}, data=mount)
        box.start("--min-free-mb", "1")
        box.sign_in("alpha")
        acknowledged = []
        for i in range(20):
            status, _, data = box.api("POST", "alpha", "patients", new_patient(i))
            check(status == 201, "writes work before the disk fills")
            acknowledged.append(json.loads(data)["id"])
        # Fill the disk, leaving a few pages. Unbuffered, so closing the file has nothing left to write: with a
        # buffer, the bytes that did not fit are written again at close and fail there.
        filler = os.path.join(mount, "filler")
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        refused = None
        for i in range(200):
            status, headers, data = box.api("POST", "alpha", "patients", new_patient(f"full-{i}"))
            if status == 201:
                acknowledged.append(json.loads(data)["id"])
                continue
            refused = (status, headers, json.loads(data))
            break
        check(refused is not None, "a write fails once the disk is full")
        status, headers, problem = refused
        check(status == 503 and headers.get("Content-Type") == "application/problem+json", f"a full disk is a 503 problem: {refused}")
        check(problem["title"] in ("Disk full", "Storage error") and ("not saved" in problem["detail"] or "nothing was changed" in problem["detail"]), f"it says nothing was saved: {problem}")
        status, _, data = box.api("GET", "alpha", "patients?limit=200")
        check(status == 200, f"reads keep working on a full disk ({status})")
        ready = box.request("GET", "/readyz")
        check(ready[0] == 503, "/readyz says the server is not ready for writes")
        os.remove(filler)
        status, _, data = box.api("POST", "alpha", "patients", new_patient("after"))
        check(status == 201, f"writes succeed again when space returns ({status} {data[:200]})")
        acknowledged.append(json.loads(data)["id"])
        missing = [pid for pid in acknowledged if box.api("GET", "alpha", f"patients/{pid}")[0] != 200]
        check(not missing, f"no acknowledged write was lost ({missing})")
        box.stop()
        check(integrity(box.database("alpha")) == "ok", "integrity_check is ok after the disk was full")
        return f"{problem['title']}: 503 while full, reads 200, writes again after space returned; {len(acknowledged)} writes intact"
    finally:
        if box:
            box.close()
        subprocess.run(["umount", "--lazy", mount])
        os.rmdir(mount)


def damaged_databases():
    # Damaged while stopped (as after a crash or a careless copy), and deleted while the server has it open. (Bytes
    # scribbled into an open database are not a stable case: closing it checkpoints the WAL's pages back over them.)
    kinds = ["readonly", "deleted", "empty", "garbage", "scribbled", "deleted_live"]
    box = Box({"alpha": 1000000, **{k.replace("_", "-"): 1000000 for k in kinds}})
    bind_mounted = []
    try:
        box.cli(["admin", "add", "--email", "root@faults.test", "--data", box.data], "system admin passphrase\n")
        box.start()
        for kind in kinds:
            tid = kind.replace("_", "-")
            for i in range(300 if kind == "scribbled" else 3):
                check(box.api("POST", tid, "patients", new_patient(i))[0] == 201, "seeding")
        box.stop()
        sizes = {}
        for kind in kinds:
            tid = kind.replace("_", "-")
            path = box.database(tid)
            if kind == "readonly":
                if IS_ROOT:
                    subprocess.run(["mount", "--bind", path, path], check=True)
                    subprocess.run(["mount", "-o", "remount,ro,bind", path], check=True)
                    bind_mounted.append(path)
                else:
                    os.chmod(path, 0o444)
            elif kind == "deleted":
                os.remove(path)
            elif kind == "empty":
                open(path, "w").close()
            elif kind == "garbage":
                with open(path, "r+b") as f:
                    f.write(os.urandom(100))
            elif kind == "scribbled":
                size = os.path.getsize(path)
                with open(path, "r+b") as f:  # one page in the middle; the header stays intact
                    f.seek((size // 4096 // 2) * 4096)
                    f.write(os.urandom(4096))
            sizes[tid] = os.path.getsize(path) if os.path.exists(path) else None
        box.start()
        # Damaged while the server has them open: noticed within a second.
        box.sign_in("deleted-live")
        check(box.api("GET", "deleted-live", "patients")[0] == 200, "the database is open and fine")
        for suffix in ("", "-wal", "-shm"):
            os.remove(box.database("deleted-live") + suffix)
        sizes["deleted-live"] = None
        time.sleep(1.5)
        status, _, data = box.request("POST", "/api/system/token", {"email": "root@faults.test", "password": "system admin passphrase"})
        root = {"Authorization": "Bearer " + json.loads(data)["token"]}
        public = json.loads(box.request("GET", "/healthz")[2])
        check(public["status"] == "degraded" and public["problems"] >= len(kinds) and "errors" not in public, f"/healthz counts, never names: {public}")
        health = json.loads(box.request("GET", "/api/system/problems", headers=root)[2])
        reported = {e.get("tenant"): e["message"] for e in health["problems"]}
        lines = []
        for kind in kinds:
            tid = kind.replace("_", "-")
            status, headers, data = box.request("GET", f"/t/{tid}/api/v1/tenant")
            check(status == 200, f"{tid}: its profile needs no database")
            status, headers, data = box.request("POST", f"/t/{tid}/api/v1/auth/token", {"email": f"admin@{tid}.test", "password": PASSWORD})
            check(status == 503 and headers.get("Content-Type") == "application/problem+json", f"{kind}: API answers 503 problem ({status} {data[:200]})")
            # A browser with a session: looking the session up needs the database, so the page is a readable 503.
            status, headers, page = box.request("GET", f"/t/{tid}/patients", headers={"Cookie": "cbx_session=a-session"})
            page = page.decode()
            check(status == 503 and headers.get("Content-Type", "").startswith("text/html"), f"{kind}: a 503 page ({status})")
            check("Tenant database unavailable" in page and "Traceback" not in page and "Error(" not in page, f"{kind}: the page says why")
            tenant_health = json.loads(box.request("GET", f"/api/tenants/{tid}/health", headers=root)[2])
            check(tenant_health["status"] == "problem", f"{kind}: the tenant's health reports a problem: {tenant_health}")
            problem = tenant_health["database"].get("problem") or ""
            if kind != "scribbled":
                check(tid in reported, f"{kind}: /api/system/problems lists it")
            check("Traceback" not in problem and "Swift" not in problem, f"{kind}: a readable reason")
            now = os.path.getsize(box.database(tid)) if os.path.exists(box.database(tid)) else None
            check(now == sizes[tid], f"{kind}: the damaged file was left as it was ({sizes[tid]} -> {now}); nothing empty replaced it")
            lines.append(f"{kind}: {problem}")
        # Every other tenant keeps working.
        check(box.api("POST", "alpha", "patients", new_patient("ok"))[0] == 201, "alpha still takes writes")
        check(box.api("GET", "alpha", "patients")[0] == 200, "alpha still reads")
        return "\n    ".join(["alpha unaffected; each damaged tenant 503s and says why:"] + lines)
    finally:
        for path in bind_mounted:
            subprocess.run(["umount", path])
        box.close()


def backup_during_writes():
    box = Box({"alpha": 1000000})
    try:
        box.start()
        box.sign_in("alpha")
        acknowledged, failures = [], []
        threads = writers(box, "alpha", 4, 4, acknowledged, failures)
        time.sleep(1)
        out = os.path.join(box.root, "backups")
        box.cli(["backup", "--tenant", "alpha", "--out", out, "--tenants", box.tenants_dir, "--data", box.data])
        for t in threads:
            t.join()
        check(not failures, f"no write failed during the backup: {failures[:3]}")
        copies = [f for f in os.listdir(os.path.join(out, "alpha")) if f.endswith(".sqlite")]
        check(len(copies) == 1, "one backup was written")
        with sqlite3.connect(os.path.join(out, "alpha", copies[0])) as db:
            check(db.execute("PRAGMA quick_check").fetchone()[0] == "ok", "the copy passes quick_check")
        return f"backup taken during {len(acknowledged)} writes: no failed write, the copy passes quick_check"
    finally:
        box.close()


def flood():
    box = Box({"alpha": 1000000, "flood": 300})
    try:
        box.start()
        box.sign_in("alpha")
        stop = threading.Event()
        counts = {"429": 0, "other": 0, "retry_after": set()}
        lock = threading.Lock()

        def flooder():
            connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
            while not stop.is_set():
                status, headers, _ = box.request("GET", "/t/flood/api/v1/tenant", connection=connection)
                with lock:
                    if status == 429:
                        counts["429"] += 1
                        counts["retry_after"].add(headers.get("Retry-After"))
                    elif status != 200:
                        counts["other"] += 1
        threads = [threading.Thread(target=flooder) for _ in range(4)]
        for t in threads:
            t.start()
        latencies, bad = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
        end = time.time() + 5
        while time.time() < end:
            started = time.perf_counter()
            status, _, _ = box.api("GET", "alpha", "patients?limit=20", connection=connection)
            latencies.append((time.perf_counter() - started) * 1000)
            bad += status != 200
        stop.set()
        for t in threads:
            t.join()
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99)]
        check(counts["429"] > 0 and counts["other"] == 0, f"the flooding tenant hears 429 and nothing else: {counts}")
        check(None not in counts["retry_after"], "every 429 has Retry-After")
        check(bad == 0, f"alpha never heard an error ({bad})")
        check(p99 < 250, f"alpha's p99 stays within 250 ms while another tenant floods ({p99:.1f} ms)")
        return f"flood: {counts['429']} answers 429 (Retry-After {sorted(counts['retry_after'])}); alpha {len(latencies)} reads, 0 errors, p99 {p99:.1f} ms"
    finally:
        box.close()


def hundred_writers():
    box = Box({"alpha": 1000000})
    try:
        box.start()
        box.sign_in("alpha")
        acknowledged, failures = [], []
        barrier = threading.Barrier(100)

        def work(n):
            connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=60)
            barrier.wait()
            for i in range(5):
                status, _, data = box.api("POST", "alpha", "patients", new_patient(f"{n}-{i}"), connection)
                if status == 201:
                    acknowledged.append(json.loads(data)["id"])
                else:
                    failures.append((status, data[:200]))
        threads = [threading.Thread(target=work, args=(n,)) for n in range(100)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(not failures, f"no writer saw an error (busy or otherwise): {failures[:3]}")
        box.stop()
        with sqlite3.connect(box.database("alpha")) as db:
            stored = db.execute("SELECT count(*) FROM patients").fetchone()[0]
        check(len(acknowledged) == 500 and stored == 500, f"all 500 writes landed ({len(acknowledged)} acknowledged, {stored} stored)")
        return "100 concurrent writers × 5: 500 acknowledged, 500 stored, no error"
    finally:
        box.close()


def reload_storm():
    box = Box({"alpha": 1000000, "beta": 1000000})
    try:
        box.start()
        stop = threading.Event()

        def editor():
            round = 0
            while not stop.is_set():
                round += 1
                if round % 2:
                    box.write_tenant("beta", name=f"Beta round {round}")
                else:  # an invalid edit: the last good beta stays served
                    box.write_tenant("beta", text="id: beta\nname: [unclosed\n")
                time.sleep(0.1)
        results = {"ok": 0, "5xx": 0, "wrong": 0, "other": []}
        lock = threading.Lock()

        def reader(n):
            connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
            while not stop.is_set():
                tid = random.choice(["alpha", "beta"])
                status, headers, data = box.request("GET", "/api/v1/tenant", headers={"X-Tenant-ID": tid}, connection=connection)
                with lock:
                    if status >= 500:
                        results["5xx"] += 1
                    elif status != 200:
                        results["other"].append(status)
                    elif json.loads(data)["id"] != tid or headers.get("X-Tenant-ID") != tid:
                        results["wrong"] += 1
                    else:
                        results["ok"] += 1
        threads = [threading.Thread(target=editor)] + [threading.Thread(target=reader, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(5)
        stop.set()
        for t in threads:
            t.join()
        check(results["5xx"] == 0 and results["wrong"] == 0 and not results["other"], f"zero 5xx, zero wrong tenant: {results}")
        check(results["ok"] > 100, "requests were served during the storm")
        return f"reload every 100 ms for 5 s (valid and invalid edits): {results['ok']} answers, 0 5xx, 0 wrong tenant"
    finally:
        box.close()


def slow_clients():
    """300 slow connections (dripped headers, stalled bodies, idle keep-alives) beside a normal client."""
    box = Box({"alpha": 1000000})
    try:
        box.start("--header-timeout", "3", "--body-timeout", "3", "--idle-timeout", "3")
        box.sign_in("alpha")

        def latencies(seconds):
            connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
            times, statuses = [], []
            end = time.time() + seconds
            while time.time() < end:
                started = time.perf_counter()
                status, _, _ = box.api("GET", "alpha", "patients", connection=connection)
                times.append(time.perf_counter() - started)
                statuses.append(status)
            connection.close()
            times.sort()
            return times[int(len(times) * 0.99)] * 1000, len(times), [s for s in statuses if s != 200]
        baseline, _, _ = latencies(2)
        sockets = []
        head = "POST /t/alpha/api/v1/patients HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"
        for n in range(300):
            s = socket.create_connection(("127.0.0.1", box.port))
            kind = n % 3
            if kind == 0:
                s.send(b"GET /healthz HTTP/1.1\r\n")  # then a byte a second
            elif kind == 1:
                s.send(head.encode())  # a body that stops
            else:
                s.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")  # answered, then idle
            sockets.append((kind, s))
        stop = threading.Event()

        def drip():
            while not stop.is_set():
                for kind, s in sockets:
                    if kind == 0:
                        try:
                            s.send(b"X")
                        except OSError:
                            pass
                time.sleep(1)
        dripper = threading.Thread(target=drip)
        dripper.start()
        loaded, count, bad = latencies(2.5)
        time.sleep(2)
        stop.set()
        dripper.join()
        still_open = 0
        for _, s in sockets:
            s.settimeout(0.5)
            try:
                while s.recv(65536):
                    pass
            except socket.timeout:
                still_open += 1
            except OSError:
                pass
            s.close()
        check(not bad, f"the normal client was answered throughout: {bad[:5]}")
        check(still_open == 0, f"every slow connection was closed by the server within its timeout ({still_open} still open)")
        check(loaded < max(50.0, baseline * 5), f"the normal client's p99 stayed low: {loaded:.1f} ms with 300 slow connections, {baseline:.1f} ms without")
        return f"300 slow connections: all closed within 3 s timeouts; normal client p99 {loaded:.1f} ms ({count} requests) vs {baseline:.1f} ms alone"
    finally:
        box.close()


def long_reads():
    """Two 20,000-row audit CSV exports at a time for five seconds while a monitor asks /healthz: the exports run
    on threads of their own, never on the event loops that answer everyone else (issue #32, item 6)."""
    box = Box({"alpha": 1000000})
    try:
        box.start()
        box.sign_in("alpha")
        box.stop()
        with sqlite3.connect(box.database("alpha")) as db:
            db.executemany(
                "INSERT INTO audit_log (at, user_email, action, entity_type, entity_id, changes) VALUES (?, 'admin@alpha.test', 'patients.update', 'patient', ?, ?)",
                [(f"2026-01-01T00:00:{i % 60:02d}Z", str(i), json.dumps({"phone": {"before": "+49 30 1234567", "after": f"+49 30 {i:07d}"}})) for i in range(20_000)])
        box.start()
        box.sign_in("alpha")
        stop = threading.Event()
        exports = {"done": 0, "rows": set(), "bad": 0}
        lock = threading.Lock()

        def exporter():
            connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=60)
            while not stop.is_set():
                status, _, data = box.api("GET", "alpha", "audit?format=csv&action=patients.update", connection=connection)
                with lock:
                    exports["done"] += 1
                    exports["bad"] += status != 200
                    exports["rows"].add(data.count(b"\r\n") - 1)
        threads = [threading.Thread(target=exporter) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        latencies = []
        connection = http.client.HTTPConnection("127.0.0.1", box.port, timeout=30)
        end = time.time() + 5
        while time.time() < end:
            started = time.perf_counter()
            status, _, _ = box.request("GET", "/healthz", connection=connection)
            latencies.append((time.perf_counter() - started) * 1000)
            check(status == 200, f"/healthz answers 200 while exports run ({status})")
            time.sleep(0.005)
        stop.set()
        for t in threads:
            t.join()
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99)]
        check(exports["bad"] == 0 and exports["done"] >= 2 and exports["rows"] == {20_000}, f"every export has its 20,000 rows: {exports}")
        check(p99 < 20, f"/healthz's p99 stays under 20 ms while 20,000-row exports run ({p99:.1f} ms over {len(latencies)} requests)")
        return f"{exports['done']} exports of 20,000 rows, /healthz p99 {p99:.1f} ms over {len(latencies)} requests"
    finally:
        box.close()


CASES = [kill_9_during_writes, every_commit_is_synced, disk_full, damaged_databases, backup_during_writes, flood, hundred_writers, reload_storm, slow_clients,
         long_reads]

if __name__ == "__main__":
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"{BINARY} is missing; run `swift build` first")
    chosen = [c for c in CASES if len(sys.argv) < 2 or c.__name__ in sys.argv[1:]]
    failed = 0
    for case in chosen:
        started = time.time()
        try:
            outcome = case()
            print(f"ok   {case.__name__} ({time.time() - started:.1f} s): {outcome}", flush=True)
        except AssertionError as error:
            failed += 1
            print(f"FAIL {case.__name__}: {error}", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {case.__name__}: {traceback.format_exc()}", flush=True)
    print(f"{len(chosen) - failed} of {len(chosen)} fault cases passed")
    sys.exit(1 if failed else 0)
