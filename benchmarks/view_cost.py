"""What one view costs the server: its CPU per view, measured over many views in turn.

Each view is rerun ``--repeats`` times by one simulated student (Streamlit's own protocol,
as ``load_client.py``), one after another, while another session stays connected (as in a
class, so Streamlit keeps its compiled pages).  The server's CPU over those reruns (from
/proc), divided by their number, is the view's cost; the views:

- walkthrough: the 11-line network page again (warm: everything it shows is shared);
- own learning rate: the same page with a learning rate nobody asked for yet (a new run);
- grades: the grades page again;
- descent: the gradient-descent page again;
- backprop, home: the blame-game page and the home page again.

    python benchmarks/view_cost.py                 # starts `streamlit run app.py`
    python benchmarks/view_cost.py --repeats 100
    python benchmarks/view_cost.py --url http://127.0.0.1:8501 --pids 1234

Run it against an older commit (a ``git worktree``) for a before/after table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from load_client import Student, cpu_seconds, number_state, percentile, server

VIEWS = ("walkthrough", "own learning rate", "grades", "descent", "backprop", "home")
PAGE_NAMES = {"home": ""}  # the default page has no name of its own


async def measure(url: str, pids: list[int], repeats: int) -> dict[str, tuple[float, float]]:
    """Per view: server CPU seconds per view, and the median time from request to finished."""
    costs: dict[str, tuple[float, float]] = {}
    async with Student(url, None) as keeper, Student(url, None) as student:
        await keeper.rerun("walkthrough")
        page = await student.rerun("walkthrough")
        lr_id = next(wid for label, (wid, _) in page.widgets.items() if label.startswith("Learning rate"))
        for view in VIEWS:
            page_name = "walkthrough" if view == "own learning rate" else PAGE_NAMES.get(view, view)
            await student.rerun(page_name)  # warm this view's caches
            times = []
            before = cpu_seconds(pids)
            for i in range(repeats):
                started = time.perf_counter()
                if view == "own learning rate":
                    await student.rerun("walkthrough", [number_state(lr_id, round(0.2 + 0.0009 * i, 4))])
                else:
                    await student.rerun(page_name)
                times.append(time.perf_counter() - started)
            costs[view] = ((cpu_seconds(pids) - before) / repeats, percentile(times, 0.5))
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument("--pids", nargs="*", type=int, default=[], help="with --url: the server processes")
    args = parser.parse_args()
    os.nice(19)
    with server(args.url, args.pids, "view-cost-server.log") as (url, pids):
        costs = asyncio.run(measure(url, pids, args.repeats))
    print(f"server: {url}; {args.repeats} views of each, one after another")
    print("| view | server CPU per view | time to finished (median) |")
    print("| --- | --- | --- |")
    for view, (cpu, median) in costs.items():
        print(f"| {view} | {cpu * 1000:.0f} ms | {median * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
