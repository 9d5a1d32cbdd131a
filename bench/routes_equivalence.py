#!/usr/bin/env python3
"""Old versus new route graph: the same answers on every plan.

    python bench/routes_equivalence.py record OUT.json      # with the code under test
    python bench/routes_equivalence.py compare OLD.json NEW.json
    python bench/routes_equivalence.py crosscheck           # the graph against networkx, same process

``record`` checks every drawing in ``plans/``, ``../shared/dxf-corpus*/`` and the cluttered hall of
``bench/routes.py`` against the default standard and writes, per drawing, every rule result (status,
measured value, message key and arguments, details — the drawn routes among them) plus each access
route's length. Run it once with the tree before a change (``PYTHONPATH=<old tree>``) and once after,
then ``compare``: any difference is printed and the exit status is 1.

``crosscheck`` needs networkx (``pip install networkx``): on the same drawings, for every route the
rules ask for, it also builds the grid and finds the route with the earlier networkx code
(``bench/routes_reference.py``) and stops at the first difference in the grid, the drawn path or the
narrowest point. The same module is a pytest plugin, to do this on every plan the tests build:
``PYTHONPATH=bench python -m pytest -p routes_reference tests/``.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():  # a worktree beside the others: /work/wt-x → /work/shared
    SHARED = Path("/work/shared")


def drawings(tmp: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "bench"))
    from routes import cluttered  # bench/routes.py

    from layoutcheck import samples

    out = sorted((ROOT / "plans").glob("*.dxf"))
    for name in ("dxf-corpus", "dxf-corpus-cn"):
        folder = SHARED / name
        if not folder.is_dir():
            raise SystemExit(f"{folder} is missing: the corpus drawings are part of the comparison")
        out += sorted(folder.glob("*.dxf"))
    for n in (30, 50, 80, 120, 160):  # halls cluttered at random: pinches, blocked approaches, equal widths
        for seed in (7, 11, 23):
            out.append(samples.save(samples.build(cluttered(n, seed)), tmp / f"cluttered-{n}-{seed}.dxf"))
    return out


def record(path_out: Path) -> None:
    from layoutcheck import routes as R
    from layoutcheck.errors import InputError
    from layoutcheck.pipeline import check
    from layoutcheck.rules import access

    calls: list = []
    find_route = R.find_route

    def logged(grid, start, targets, width_m, reachable, doors_ok):  # every route asked for, best or not
        route = find_route(grid, start, targets, width_m, reachable, doors_ok)
        calls.append({"nodes": len(grid.xy), "length_m": round(_length(route.path), 9), "path": route.path,
                      "narrowest_m": route.narrowest_m, "narrowest_at": route.narrowest_at})
        return route

    R.find_route = logged
    data: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in drawings(Path(tmp)):
            calls.clear()
            access._CACHE.clear()
            try:
                report = check([path]).report("en")
            except InputError as exc:
                data[path.name] = {"error": exc.message_key}
                continue
            data[path.name] = {"results": report["results"], "routes": list(calls)}
            print(f"{path.name}: {report['verdict']}, {len(calls)} routes", file=sys.stderr)
    path_out.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str))


def _length(path: list) -> float:
    return sum(math.dist(a, b) for a, b in zip(path, path[1:]))


def compare(a: Path, b: Path) -> int:
    old, new = json.loads(a.read_text()), json.loads(b.read_text())
    bad = 0
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            bad += 1
            print(f"DIFFERENT: {key}")
            o, n = old.get(key) or {}, new.get(key) or {}
            for i, (ro, rn) in enumerate(zip(o.get("results", []), n.get("results", []))):
                if ro != rn:
                    print(f"  result {i}: {json.dumps(ro, ensure_ascii=False)[:400]}\n        vs {json.dumps(rn, ensure_ascii=False)[:400]}")
            for i, (ro, rn) in enumerate(zip(o.get("routes", []), n.get("routes", []))):
                if ro != rn:
                    print(f"  route {i}: {ro['length_m']} m, {len(ro['path'])} points, narrowest {ro['narrowest_m']} "
                          f"at {ro['narrowest_at']}\n        vs {rn['length_m']} m, {len(rn['path'])} points, "
                          f"narrowest {rn['narrowest_m']} at {rn['narrowest_at']}")
    print(f"{len(set(old) | set(new))} drawings, {bad} different")
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "record" and len(sys.argv) == 3:
        record(Path(sys.argv[2]))
    elif cmd == "crosscheck":
        sys.path.insert(0, str(ROOT / "bench"))
        import routes_reference  # bench/routes_reference.py: the networkx graph

        routes_reference.install()
        with tempfile.TemporaryDirectory() as tmp:
            record(Path(tmp) / "routes.json")
        print(f"{routes_reference.CHECKED['routes']} routes on {routes_reference.CHECKED['nodes']} grid nodes "
              "in all: the same as on networkx")
    elif cmd == "compare" and len(sys.argv) == 4:
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        raise SystemExit(__doc__)
