"""Load on `onrecord serve`: 200 concurrent clients for 30 s on loopback, searching a store of 1M
synthetic quotations and opening speaker pages.

    python benchmarks/serve_load.py [--quotes 1000000] [--clients 200] [--seconds 30] [--workers 2]
                                    [--think 1.0] [--speakers 0.3] [--dir /tmp/bench]

The store is the one `benchmarks/store.py search` builds (made here when missing, kept in
--dir). The server is `onrecord serve DB` in its own process. Each client is a person at the
search page: it keeps one HTTP/1.1 connection, asks `GET /api/quotes?q=WORDS&speaker=ID` (one
or two words of middling frequency, a speaker drawn by popularity, 20 results best first),
or, for a share --speakers of its requests, `GET /api/speakers/ID` (a speaker drawn by popularity:
names, roles, outlets, quotations per month and the latest 200 quotations), reads the answer,
then waits a random think time (uniform, mean --think seconds; 0 makes every
client ask again at once, a closed loop that measures the most the server can answer). The
clients are plain asyncio sockets so the load generator takes little of the CPU the server
needs. Latency is from sending the request to the last byte of the answer. The store's file
is read once before the server starts (a warm page cache, as on a server that has run a while).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)

from benchmarks.store import SPEAKERS, _cumulative, _draw, load, vocabulary, zipf_weights
from onrecord.store import open_store


def queries(count: int, seed: int = 5, speaker_share: float = 0.0) -> list[str]:
    rng = random.Random(seed)
    words = vocabulary(random.Random(7))
    speakers = list(_cumulative(zipf_weights(SPEAKERS, 0.9)))
    paths = []
    for _ in range(count):
        speaker = f"sp_{_draw(rng, speakers, 1)[0]:06d}"
        if rng.random() < speaker_share:
            paths.append(f"/api/speakers/{speaker}")
            continue
        terms = " ".join(words[rng.randint(50, 5000)] for _ in range(rng.choice((1, 1, 2))))
        paths.append("/api/quotes?" + urlencode({"q": terms, "speaker": speaker, "limit": 20}))
    return paths


async def client(
    port: int,
    paths: list[str],
    until: float,
    think: float,
    rng: random.Random,
    out: list[tuple[float, int, str]],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await asyncio.sleep(rng.random() * max(think, 0.05))  # clients arrive spread out, not at once
    try:
        while time.perf_counter() < until:
            path = rng.choice(paths)
            start = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            out.append((time.perf_counter() - start, status, path.split("?")[0].rsplit("/", 1)[0]))
            if think > 0:
                await asyncio.sleep(rng.uniform(0, 2 * think))
    except (ConnectionError, asyncio.IncompleteReadError) as err:
        out.append(
            (float("nan"), 599 if not isinstance(err, asyncio.IncompleteReadError) else 598, "dropped")
        )
    finally:
        writer.close()


async def run_load(
    port: int, clients: int, seconds: float, think: float, speaker_share: float = 0.0
) -> list[tuple[float, int, str]]:
    paths = queries(5000, speaker_share=speaker_share)
    out: list[tuple[float, int, str]] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(
        *(client(port, paths, until, think, random.Random(1000 + i), out) for i in range(clients))
    )
    return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--speakers", type=float, default=0.3, help="share of requests for a speaker page")
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    db = str(Path(args.dir) / f"bench-{args.quotes}.db")
    with open_store(db) as store:
        if store.counts()["quotes"] != args.quotes:
            print(f"building {db} with {args.quotes:,} synthetic quotes", file=sys.stderr)
            load(store, args.quotes)
    # a server that has run a while holds its store in the page cache: read the file once, so
    # that the run measures that and not the disk (a first run after other work pushed the file
    # out gave p95 222 ms, the next 23 ms)
    with open(db, "rb") as warm:
        while warm.read(1 << 24):
            pass
    port = free_port()
    onrecord = str(Path(sys.executable).parent / "onrecord")
    server = subprocess.Popen(
        [onrecord, "serve", db, "--port", str(port), "--workers", str(args.workers), "--mode", "fast"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError as err:
                if time.monotonic() > deadline or server.poll() is not None:
                    why = server.stderr.read().decode() if server.stderr else ""
                    raise SystemExit(f"the server did not start: {why}") from err
                time.sleep(0.2)
        asyncio.run(run_load(port, 20, 3, 0, args.speakers))  # warm-up: caches, connections in each thread
        results = asyncio.run(run_load(port, args.clients, args.seconds, args.think, args.speakers))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    statuses = [status for _, status, _ in results]
    print(
        f"{args.clients} clients, {args.seconds:.0f} s, think {args.think} s, {args.workers} worker(s), "
        f"{args.quotes:,} quotes, {os.cpu_count()} cores, {args.speakers:.0%} speaker pages:"
    )
    for label, kind in (("all", None), ("search", "/api"), ("speaker", "/api/speakers")):
        times = sorted(t * 1000 for t, status, k in results if status < 598 and (kind is None or k == kind))
        if not times:
            continue
        print(
            f"  {label}: {len(times):,} responses ({len(times) / args.seconds:.0f}/s); "
            f"p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, "
            f"p99 {times[int(len(times) * 0.99) - 1]:.1f} ms, max {times[-1]:.1f} ms"
        )
    print(
        f"  not 2xx: {sum(1 for s in statuses if not 200 <= s < 300)} "
        f"(5xx or dropped: {sum(1 for s in statuses if s >= 500)}; other statuses: "
        f"{sorted({s for s in statuses if not 200 <= s < 300 and s < 500}) or 'none'})"
    )


if __name__ == "__main__":
    main()
