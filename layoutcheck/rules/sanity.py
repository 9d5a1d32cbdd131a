"""Checks on the measured areas themselves, made once the plan is measured: ``drawing.*`` findings.

A report whose 使用面积 (usable, the rooms summed) exceeds its 建筑面积 (gross, the outer outline) cannot be
right — rooms lie inside the outer walls — yet nothing in the figures says so: a reviewer reads two
plausible numbers. Likewise a gross area of 0.74 m² or 7 km² means a wrong unit, not a building. Both are
said as drawing findings (``drawing.usable-exceeds-gross``, ``drawing.units-suspect``) with the figures and
what to check; the rules then see them as they see the reader's findings (an area rule is n/a under a
suspect unit, see ``area.unreliable``).
"""

from __future__ import annotations

from ..i18n import Msg
from ..ingest import units as U
from ..measure import Metrics
from ..model import Finding, Plan

# Rooms drawn inside the walls sum to less than the gross area; one drawn to the wall's outer face or a
# few millimetres past it (snapping) can give back a sliver. More than this is a drawing problem, not
# drafting noise: 0.5 % of the gross area (a 5 mm overshoot along every wall of a 100 m² plan is ~0.2 %),
# and at least 0.5 m² so that tiny plans do not warn on rounding.
USABLE_OVER_GROSS_SHARE = 0.005
USABLE_OVER_GROSS_MIN_M2 = 0.5


def usable_over_gross_tolerance_m2(gross_m2: float) -> float:
    """How far the usable area may exceed the gross area before it is reported (see the constants)."""
    return max(USABLE_OVER_GROSS_MIN_M2, USABLE_OVER_GROSS_SHARE * gross_m2)


def excess_parts_m2(plan: Plan) -> tuple[float, float, tuple[float, float] | None]:
    """Where a usable area larger than the gross area comes from, storeys summed: the area the room
    outlines cover twice or more (Σ room areas − their union: counted twice in the usable area), the area
    of rooms outside the storey's gross outline (an outline past the outer wall line, or a gross-area line
    that encloses only part of the building), and a point in the largest piece outside (for the overlay;
    None when nothing lies outside: the overlaps are marked by ``drawing.overlapping-rooms``)."""
    from shapely.ops import unary_union

    overlap = outside = 0.0
    largest, where = 0.01, None  # m²: a sliver smaller than this is no place to show
    for s in plan.storeys:
        polygons = [r.polygon for r in plan.rooms if r.storey == s.index]
        if not polygons:
            continue
        union = unary_union(polygons)
        overlap += max(0.0, sum(p.area for p in polygons) - union.area)
        beyond = union.difference(s.footprint)
        outside += beyond.area
        for piece in getattr(beyond, "geoms", [beyond]):
            if piece.area > largest:
                largest, point = piece.area, piece.representative_point()
                where = (round(point.x, 3), round(point.y, 3))
    return overlap, outside, where


def usable_exceeds_gross(plan: Plan, metrics: Metrics) -> Finding | None:
    """``drawing.usable-exceeds-gross`` when the usable area exceeds the gross area beyond the tolerance:
    both figures, the excess, and how much of it is overlap between rooms and rooms outside the outline."""
    gross, usable = metrics.gross_area_m2, metrics.usable_area_m2
    if not gross > 0 or usable - gross <= usable_over_gross_tolerance_m2(gross):
        return None
    overlap, outside, where = excess_parts_m2(plan)
    shown = round(usable, 2) - round(gross, 2)  # the excess of the two figures as the report shows them
    return Finding("drawing.usable-exceeds-gross", "drawing.usable-exceeds-gross",
                   {"usable_m2": usable, "gross_m2": gross, "excess_m2": shown,
                    "overlap_m2": overlap, "outside_m2": outside},
                   where=(where,) if where else ())


def units_hint(found: tuple[str, float] | None, measure: str) -> Msg:
    """What the user should try: the ``--units`` value :func:`units.suggest` found and the figure it gives
    (``measure`` "span" or "gross"), or, when no factor of 10 fits, to check the unit."""
    if found is None:
        return Msg("units.check")
    name, value = found
    return Msg("units.try-span", units=name, span_m=value) if measure == "span" else \
        Msg("units.try-gross", units=name, gross=area_text(value))


def area_text(m2: float) -> str:
    """An area as the units messages show it: 2 decimals with thousands separators, or 2 significant
    digits below 0.01 m² (a plan read 1000 times too small is 0.00012 m², not "0.00")."""
    return f"{m2:.2g}" if 0 < m2 < 0.01 else f"{m2:,.2f}"


def implausible_area(plan: Plan, metrics: Metrics) -> Finding | None:
    """``drawing.units-suspect`` when the building's area (gross, or the rooms when there is no gross)
    is outside :data:`units.PLAUSIBLE_GROSS_M2`, naming the ``--units`` value that would make it plausible.

    The reader already judges the unit by the drawing's span when the unit is declared; this judges the
    measured area, also when the unit was guessed or given with ``--units``. Said once: not again when the
    reader found the unit suspect already."""
    if any(f.rule == "drawing.units-suspect" for f in plan.findings):
        return None
    area = metrics.gross_area_m2 if metrics.gross_area_m2 > 0 else metrics.usable_area_m2
    lo, hi = U.PLAUSIBLE_GROSS_M2
    if not area > 0 or lo <= area <= hi:
        return None
    found = U.suggest(plan.unit_m, area, U.PLAUSIBLE_GROSS_M2, 2)
    return Finding("drawing.units-suspect", "units.suspect-area",
                   {"units": plan.units, "gross": area_text(area), "lo": lo, "hi": hi, "hint": units_hint(found, "gross")})


def measured_findings(plan: Plan, metrics: Metrics) -> list[Finding]:
    """The findings on the measured areas (see the module docstring), in report order."""
    return [f for f in (implausible_area(plan, metrics), usable_exceeds_gross(plan, metrics)) if f is not None]
