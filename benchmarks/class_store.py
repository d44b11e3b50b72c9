"""The class store's own latency: what one student's answer and one page's poll cost it.

N students (threads, as Streamlit's sessions are) join one class and answer every prompt at
once, while the same number of polls read the class's state; then the teacher's tally.  Prints
p50 / p95 of a write (an answer), a read (``lesson``, what every student's page polls every
few seconds) and a tally, and checks that no answer was lost.

    python benchmarks/class_store.py [--students 30 200] [--prompts 5] [--redis]

``--redis`` measures the Redis store, on a redis-server started here (Debian's package) with
the durable settings docs/teaching-live.md recommends.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from nnviz.classroom.open import open_store  # noqa: E402


def timed(samples: list[float], call, *args):
    started = time.perf_counter()
    result = call(*args)
    samples.append(time.perf_counter() - started)
    return result


def measure(students: int, prompts: int, url: str) -> str:
    store = open_store(url)
    opened = store.open_class()
    joined = [store.join(opened.code) for _ in range(students)]
    writes: list[float] = []
    reads: list[float] = []
    start = threading.Barrier(students)

    def student(token: str, n: int) -> None:
        start.wait()
        for p in range(prompts):
            timed(writes, store.answer, opened.code, token, f"prompt {p}", str(n % 4))
            timed(reads, store.lesson, opened.code)

    threads = [threading.Thread(target=student, args=(j.token, n)) for n, j in enumerate(joined)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tallies: list[float] = []
    counted = sum(
        timed(tallies, store.tally, opened.code, f"prompt {p}", None, opened.teacher_key).answered
        for p in range(prompts)
    )
    lost = students * prompts - counted

    def ms(samples: list[float]) -> str:
        return f"{1000 * np.percentile(samples, 50):.2f} / {1000 * np.percentile(samples, 95):.2f} ms"

    return f"| {students} | {ms(writes)} | {ms(reads)} | {ms(tallies)} | {lost} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30, 200])
    parser.add_argument("--prompts", type=int, default=5)
    parser.add_argument("--redis", action="store_true", help="the Redis store, on a redis-server started here")
    args = parser.parse_args()
    server = None
    if args.redis:
        from redis_server import RedisServer

        server = RedisServer(durable=True)
    print("| students at once | answer (write) p50 / p95 | poll (lesson) p50 / p95 | tally p50 / p95 | answers lost |")
    print("| --- | --- | --- | --- | --- |")
    try:
        with tempfile.TemporaryDirectory() as folder:
            for n in args.students:
                url = server.url if server else f"sqlite:///{Path(folder) / f'classes-{n}.sqlite3'}"
                print(measure(n, args.prompts, url), flush=True)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
