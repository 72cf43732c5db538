"""The coffee engine of an earlier commit against this one, on the same instances, back to back.

    .venv/bin/python bench/pairing_before_after.py                 # against 19ea6be (before the block,
    .venv/bin/python bench/pairing_before_after.py --before <rev>  # group and odd-round changes)

The earlier ``courtyard.pairing.domain`` is extracted with ``git archive`` into a temporary folder; each
(engine, case) runs in a fresh process so that the two engines never share an import. Instances are
those of ``bench/pairing_engine.py`` (same generators and seeds). Prints CPU and wall seconds (median of
three runs below 5,000 people, one run above) and the total score, with the ratios new / before.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [(15, 2), (59, 2), (2000, 2), (10000, 2), (10000, 3), (10000, 4)]

RUN = """
import json, random, sys, time
sys.path.insert(0, {bench!r})
from pairing_engine import LOOKBACK, do_not_pair, make_history, make_people
for name in [k for k in sys.modules if k.startswith("courtyard")]:
    del sys.modules[name]
sys.path.insert(0, {src!r})
from courtyard.pairing.domain import coffee_round
from courtyard.pairing.domain.types import CoffeeRules
n, g = {n}, {g}
people = make_people(n, seed=n)
history = make_history(people, 26, seed=n + 1)
rules = CoffeeRules(lookback_rounds=LOOKBACK, do_not_pair=do_not_pair(people, n), group_size=g)
runs = []
for _ in range(3 if n < 5000 else 1):
    cpu, wall = time.process_time(), time.perf_counter()
    result = coffee_round(people, history=history, rules=rules, rng=random.Random(7))
    runs.append((time.process_time() - cpu, time.perf_counter() - wall))
cpu, wall = sorted(runs)[len(runs) // 2]
print(json.dumps({{"cpu": cpu, "wall": wall, "score": result.stats.total_score, "method": result.stats.method}}))
"""


def measure(src: Path, n: int, g: int) -> dict[str, float | str]:
    code = RUN.format(bench=str(ROOT / "bench"), src=str(src), n=n, g=g)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    out: dict[str, float | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", default="19ea6be", help="the earlier commit (default: 19ea6be)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [
            "src/courtyard/__init__.py",
            "src/courtyard/pairing/__init__.py",
            "src/courtyard/pairing/domain",
        ]
        archive = subprocess.run(  # noqa: S603 - git and tar from PATH, arguments fixed here
            ["git", "-C", str(ROOT), "archive", args.before, *paths],  # noqa: S607
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)  # noqa: S603, S607
        before_src = Path(tmp) / "src"
        print(
            f"| people · group size | before ({args.before}): method, CPU / wall s, score | now: method, CPU / wall s, score | CPU now / before | score now / before |"
        )
        print("|---|---|---|---:|---:|")
        for n, g in CASES:
            old = measure(before_src, n, g)
            new = measure(ROOT / "src", n, g)
            print(
                f"| {n:,} · {g} | {old['method']}, {old['cpu']:.3f} / {old['wall']:.3f}, {old['score']:,.1f} | "
                f"{new['method']}, {new['cpu']:.3f} / {new['wall']:.3f}, {new['score']:,.1f} | "
                f"{float(new['cpu']) / float(old['cpu']):.2f}× | {float(new['score']) / float(old['score']):.4f}× |",
                flush=True,
            )


if __name__ == "__main__":
    main()
