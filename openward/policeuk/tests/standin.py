"""A small police.uk stand-in on loopback whose answers a test scripts, fault by fault."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | list | dict = b"[]"
    delay: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


class StandIn(http.server.ThreadingHTTPServer):
    """`answers[path]` is the usual answer; `faults[path]` a list of answers given first, one per request."""

    daemon_threads = True

    def __init__(self, answers: dict[str, Answer]):
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers = answers
        self.faults: dict[str, list[Answer]] = defaultdict(list)
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/api/"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0].removeprefix("/api/")
        with self.server.lock:
            self.server.seen[path] += 1
            faults = self.server.faults.get(path)
            answer = faults.pop(0) if faults else self.server.answers.get(path, Answer(404, {"detail": "not here"}))
        if answer.delay:
            time.sleep(answer.delay)
        body = answer.payload()
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a time-out under test)

    do_GET = do_POST = _answer
