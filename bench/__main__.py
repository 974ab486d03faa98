"""Run every benchmark module (``bench/bench_*.py``), or the ones named on the command line.

Options after the names (``python -m bench memory --sizes 10000``) are left in ``sys.argv``
for the benchmarks that read them."""

from __future__ import annotations

import importlib
import sys
from itertools import takewhile
from pathlib import Path


def main(names: list[str]) -> None:
    found = sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    for name in names or found:
        if name not in found:
            sys.exit(f"unknown benchmark '{name}' (known: {', '.join(found)})")
        print(f"\n=== {name} ===", flush=True)
        importlib.import_module(f"bench.bench_{name}").main()


if __name__ == "__main__":
    main(list(takewhile(lambda arg: not arg.startswith("-"), sys.argv[1:])))
