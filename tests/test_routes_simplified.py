"""Routes found on a simplified floor say so (routes.erodable, ``drawing.routes-simplified``).

The plan is tests/plans.py's station with one more wall drawn along the hall's west face (x = 0.2 m), from
y = 0.5 to 5.5 m, whose room-side face zig-zags every 5 mm between x = 0.25 and 0.25 + the tooth depth: 1,001
vertices, each with ~480 others within the 1.2 m that eroding for a 1.2 m wheelchair route looks at, so
~400,000 close pairs — over the 100,000 at which the floor is simplified first (at 2, then 5, then 10 cm).
Douglas-Peucker at tolerance t removes teeth shallower than t: 1 cm teeth are gone at 2 cm, 3 cm teeth only
at 5 cm. The sample station itself has a few dozen vertices: nothing simplified.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import Polygon

from layoutcheck import routes
from layoutcheck.pipeline import check_plan
from layoutcheck.rules import Project

from . import plans as P


def zigzag_wall(depth_m: float, step_m: float = 0.005, y0: float = 0.5, y1: float = 5.5) -> Polygon:
    n = round((y1 - y0) / step_m)
    face = [(0.25 + depth_m * (i % 2), y0 + i * step_m) for i in range(n + 1)]
    return Polygon([(0.2, y0), *face, (0.2, y1)])


def with_wall(plan, wall: Polygon):
    walls = (*plan.storeys[0].walls, wall)
    return replace(plan, walls=walls, storeys=(replace(plan.storeys[0], walls=walls),))


def report(plan, lang: str) -> dict:
    return check_plan(plan, "kaifeng-2014", Project(population=30000)).report(lang)


def test_the_wall_really_makes_the_floor_too_dense_to_erode():
    """The premise, counted independently of the rule code: the floor's vertices, pairs within 1.2 m."""
    f = routes.floor_of(with_wall(P.station(), zigzag_wall(0.01)), 0)
    assert routes.vertex_pairs_within(f.free, 1.2, 10**7) > routes.MAX_ERODE_PAIRS


@pytest.mark.parametrize("depth_m, tolerance_cm", [(0.01, 2), (0.03, 5)])
def test_routes_on_a_simplified_floor_are_flagged_with_the_tolerance(depth_m, tolerance_cm):
    plan = with_wall(P.station(), zigzag_wall(depth_m))
    zh, en = report(plan, "zh"), report(plan, "en")
    (warning,) = [r for r in en["results"] if r["rule"] == "drawing.routes-simplified"]
    assert warning["status"] == "warn"
    assert warning["details"] == {"storey": 0, "tolerance_cm": tolerance_cm}
    assert f"within {tolerance_cm} cm" in warning["message"] and "zig-zag" in warning["message"]
    (zh_warning,) = [r for r in zh["results"] if r["rule"] == "drawing.routes-simplified"]
    assert f"{tolerance_cm} cm 容差简化" in zh_warning["message"]
    assert zh_warning["message"] in zh["warnings"]
    # listed with the drawing pre-check, before the rules
    rules = [r["rule"] for r in en["results"]]
    assert rules.index("drawing.routes-simplified") < min(i for i, r in enumerate(rules) if not r.startswith("drawing."))
    # each route result says which floor it was found on; the routes still pass (the wall takes 6 cm of 11.6 m)
    route = [r for r in en["results"] if r["rule"] == "access.route"]
    assert len(route) == 2 and all(r["status"] == "pass" for r in route)
    assert all(r["details"]["floor_simplified"] == {"storey": 0, "tolerance_cm": tolerance_cm} for r in route)


def test_a_plain_floor_is_not_flagged():
    en = report(P.station(), "en")
    assert not [r for r in en["results"] if r["rule"] == "drawing.routes-simplified"]
    assert not [r for r in en["results"] if "floor_simplified" in (r.get("details") or {})]
