"""Shared helpers of the order service's tests (tests/serve/*_test.py).

Standard library only: the service is started as a subprocess on 127.0.0.1
on a port the test picked itself (bind port 0, read it, close), so parallel
ctest runs do not clash, and the `ordertrail` CLI is the oracle every
evaluation and decision of the service is compared with, byte for byte.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
ORDERS_DIR = os.path.join(SOURCE_DIR, "tests", "cli", "data", "orders")

# The manual clock every test starts the service with.
CLOCK = "2025-03-04T12:00:00Z"


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sample(name):
    """A sample order of tests/cli/data/orders as a dict."""
    with open(os.path.join(ORDERS_DIR, name), encoding="utf-8") as f:
        return json.load(f)


def dumps(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> value
        self.body = body  # bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "HTTP %d %r %s" % (self.status, self.headers, self.body[:600])


class Service:
    """One ordertrail-serve process on a database file."""

    def __init__(self, serve_bin, db, clock=CLOCK, sweep_every="0", extra=()):
        self.serve_bin = serve_bin
        self.db = db
        self.clock = clock
        self.sweep_every = sweep_every
        self.extra = list(extra)
        self.proc = None
        self.port = None
        self.stderr_path = db + ".stderr.log"

    def start(self, timeout=30.0):
        self.port = free_port()
        args = [self.serve_bin, "--db", self.db, "--host", "127.0.0.1", "--port", str(self.port),
                "--sweep-every", str(self.sweep_every)]
        if self.clock is not None:
            args += ["--clock", self.clock]
        args += self.extra
        self._stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self._stderr)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("ordertrail-serve exited with %d at start: %s" %
                                   (self.proc.returncode, self.stderr_text()[-2000:]))
            try:
                r = self.request("GET", "/v1/health")
                if r.status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("ordertrail-serve did not answer /v1/health within %.0f s" % timeout)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self._stderr.close()
        self.proc = None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._stderr.close()
        self.proc = None

    def sanitizer_reports(self):
        """Lines of AddressSanitizer / LeakSanitizer / UBSan reports in the
        service's stderr (the native-asan preset runs these tests too)."""
        return [l for l in self.stderr_text().splitlines()
                if "AddressSanitizer" in l or "LeakSanitizer" in l or "runtime error:" in l]

    def stderr_text(self):
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def token(self, *args):
        """`ordertrail-serve token create ARGS --db DB`: the token it prints."""
        out = subprocess.run([self.serve_bin, "token", "create", *args, "--db", self.db],
                             capture_output=True, check=True, timeout=60)
        lines = out.stdout.decode().split()
        assert len(lines) == 1, "token create printed %r" % out.stdout
        return lines[0]

    def connect(self, timeout=60):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, token=None, headers=None, conn=None):
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = dumps(body)
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        own = conn is None
        c = conn or self.connect()
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            # Counted once answered (a refused connection at start reached nothing).
            self.requests_sent = getattr(self, "requests_sent", 0) + 1
            self.sent = getattr(self, "sent", [])
            self.sent.append("%s %s" % (method, path.split("?")[0]))
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            return Response(r.status, hdrs, data)
        finally:
            if own:
                c.close()


class Oracle:
    """The `ordertrail` CLI on a document at an instant."""

    def __init__(self, cli_bin):
        self.cli = cli_bin

    def _run(self, args, stdin):
        p = subprocess.run([self.cli, *args], input=stdin, capture_output=True, timeout=120)
        return p.returncode, p.stdout.rstrip(b"\n")

    def evaluation(self, doc_bytes, now):
        rc, out = self._run(["status", "-", "--now", now, "--json"], doc_bytes)
        assert rc == 0, "ordertrail status exited %d: %s" % (rc, out[:500])
        return out

    def decision(self, doc_bytes, command, now):
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(dumps(command) if isinstance(command, dict) else command)
            path = f.name
        try:
            rc, out = self._run(["decide", "-", "--command", path, "--now", now, "--json"], doc_bytes)
        finally:
            os.unlink(path)
        assert rc in (0, 3), "ordertrail decide exited %d: %s" % (rc, out[:500])
        return out

    def metrics(self, docs, date_from, date_to, now):
        # NDJSON: one line per document (a stored document may be indented).
        ndjson = b"".join((dumps(json.loads(d)) if b"\n" in d else d) + b"\n" for d in docs)
        rc, out = self._run(["metrics", "-", "--from", date_from, "--to", date_to, "--now", now, "--json"], ndjson)
        assert rc in (0, 1), "ordertrail metrics exited %d: %s" % (rc, out[:500])
        return out


def strip_body(b):
    return b.rstrip(b"\n")


def arg_paths(argv):
    """`TEST.py SERVE_BIN CLI_BIN [options]`."""
    if len(argv) < 3:
        sys.exit("usage: %s ORDERTRAIL_SERVE ORDERTRAIL [options]" % os.path.basename(argv[0]))
    return os.path.abspath(argv[1]), os.path.abspath(argv[2]), argv[3:]
