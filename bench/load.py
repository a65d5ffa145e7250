"""A small HTTP/1.1 load generator in pure Python (asyncio), so the bench needs nothing installed.

Each of `connections` tasks sends a request, reads the whole answer, closes and starts again
(gunicorn's sync workers close every connection anyway), for a fixed time. The client's own
CPU time is measured, so a report can say whether the client or the server was the limit.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

# What counts as a page served: a 3xx (a session that ran out, sent to the login page) is cheap
# and would pass for speed.
ANSWERED = frozenset({200, 304})
LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)


def request(path: str, cookie: str = "", headers: dict[str, str] | None = None) -> bytes:
    """The bytes of one GET request for `path`."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "User-Agent: planner-bench"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Answer:
    status: int
    headers: bytes
    body: bytes


async def fetch(port: int, raw: bytes) -> Answer:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        length = LENGTH.search(head)
        body = await (reader.readexactly(int(length.group(1))) if length else reader.read())
        return Answer(int(head[9:12]), head, body)
    finally:
        writer.close()


@dataclass
class Load:
    """What one timed load measured."""

    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, one per answer
    failures: dict[str, int] = field(default_factory=dict)  # "status 500" / "ConnectionResetError" → count
    client_cpu: float = 0.0  # CPU seconds the client itself used, warm-up included
    wall: float = 0.0  # seconds the whole load took, warm-up included

    @property
    def client_share(self) -> float:
        """The share of one core the client used."""
        return self.client_cpu / self.wall if self.wall else 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    def percentile(self, p: float) -> float:
        """Milliseconds at the p-th percentile (0-100)."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")

    @property
    def errors(self) -> int:
        return sum(self.failures.values())


async def _load(port: int, requests: list[bytes], connections: int, seconds: float, warmup: float) -> Load:
    start = time.perf_counter()
    measure_from, stop = start + warmup, start + warmup + seconds
    result = Load(seconds)
    counter = iter(range(10**12))

    async def worker() -> None:
        while True:
            now = time.perf_counter()
            if now >= stop:
                return
            raw = requests[next(counter) % len(requests)]
            try:
                answer = await fetch(port, raw)
            except (OSError, asyncio.IncompleteReadError) as e:
                if time.perf_counter() >= measure_from:
                    name = type(e).__name__
                    result.failures[name] = result.failures.get(name, 0) + 1
                continue
            done = time.perf_counter()
            if not measure_from <= done <= stop:
                continue
            if answer.status not in ANSWERED:  # a redirect to the login page is no page served
                key = f"status {answer.status}"
                result.failures[key] = result.failures.get(key, 0) + 1
            else:
                result.latencies.append(done - now)

    cpu = time.process_time()
    await asyncio.gather(*(worker() for _ in range(connections)))
    result.client_cpu = time.process_time() - cpu
    result.wall = time.perf_counter() - start
    return result


def load(port: int, requests: list[bytes], connections: int = 32, seconds: float = 10, warmup: float = 2) -> Load:
    """Load the server at `port` with `requests` in turn over `connections` connections for `seconds`.

    As wrk counts: every answer that ends within the `seconds` after the warm-up counts, with its
    whole time (a slow page's answers may have started in the warm-up).
    """
    return asyncio.run(_load(port, requests, connections, seconds, warmup))


def one_at_a_time(port: int, raw: bytes, runs: int = 30, warmup: int = 5) -> tuple[float, Answer]:
    """Median milliseconds of `runs` requests sent one after the other (an idle server), and the last answer."""

    async def go() -> tuple[float, Answer]:
        times = []
        answer = None
        for n in range(warmup + runs):
            start = time.perf_counter()
            answer = await fetch(port, raw)
            if n >= warmup:
                times.append(time.perf_counter() - start)
            if answer.status not in ANSWERED:
                raise RuntimeError(f"{raw.split(b' ')[1].decode()} answered {answer.status}")
        return 1000 * statistics.median(times), answer

    return asyncio.run(go())


CANNED = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def _canned_server(ready) -> None:  # noqa: ANN001
    """A server that answers every request at once with the same bytes (in its own process)."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(CANNED)
        await writer.drain()
        writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=1024)
        ready.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(serve())


def client_capacity(connections: int = 32, seconds: float = 5) -> Load:
    """The client against a server that does nothing: what it can send, to compare with what an
    app served (if the two are close, the client, not the app, was the limit)."""
    import multiprocessing

    ready = multiprocessing.Queue()
    server = multiprocessing.Process(target=_canned_server, args=(ready,), daemon=True)
    server.start()
    try:
        return load(ready.get(timeout=30), [request("/")], connections, seconds, warmup=1)
    finally:
        server.terminate()
        server.join()


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the login form; the session cookie ("planner_session=...")."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    answer = conn.getresponse()
    page = answer.read().decode()
    cookie = _cookie(answer)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token, "email": email, "password": password})
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    answer = conn.getresponse()
    answer.read()
    if answer.status != 302:
        raise RuntimeError(f"sign-in refused for {email} ({answer.status})")
    conn.close()
    return _cookie(answer)


def _cookie(answer: http.client.HTTPResponse) -> str:
    for name, value in answer.getheaders():
        if name.lower() == "set-cookie" and value.startswith("planner_session="):
            return value.split(";", 1)[0]
    raise RuntimeError("no session cookie")
