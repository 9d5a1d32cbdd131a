"""Drawing units: metres per drawing unit, from ``$INSUNITS`` or guessed from the drawing's size."""

from __future__ import annotations

# $INSUNITS codes (DXF reference, HEADER section) that occur in floor plans.
INSUNITS_M: dict[int, tuple[str, float]] = {
    1: ("inch", 0.0254),
    2: ("ft", 0.3048),
    3: ("mile", 1609.344),
    4: ("mm", 0.001),
    5: ("cm", 0.01),
    6: ("m", 1.0),
    7: ("km", 1000.0),
    8: ("microinch", 0.0254e-6),
    9: ("mil", 0.0254e-3),
    10: ("yard", 0.9144),
    13: ("um", 1e-6),
    14: ("dm", 0.1),
    15: ("dam", 10.0),
    16: ("hm", 100.0),
}

# What --units accepts.
NAMED_UNITS: dict[str, float] = {
    "mm": 0.001, "cm": 0.01, "dm": 0.1, "m": 1.0, "km": 1000.0,
    "inch": 0.0254, "in": 0.0254, "ft": 0.3048, "foot": 0.3048, "yard": 0.9144,
}

# A floor plan spans a few metres to a few hundred; outside this band the declared unit is suspect.
PLAUSIBLE_SPAN_M = (4.0, 2000.0)  # metres: a building smaller than a 4 m room is a wrong unit


# A building's gross area: a 10 m² kiosk to a 200,000 m² complex. Outside it the unit is wrong, not the building.
PLAUSIBLE_GROSS_M2 = (10.0, 200_000.0)

# The --units values a suggestion may name, most often meant first: Chinese plans are drawn in millimetres,
# site and survey drawings in metres, some in centimetres; decimetres are rare.
SUGGESTED_UNITS = (("mm", 0.001), ("m", 1.0), ("cm", 0.01), ("dm", 0.1))


def suggest(unit_m: float, measured: float, band: tuple[float, float], power: int) -> tuple[str, float] | None:
    """The ``--units`` value that brings an implausible measurement into ``band``, and the measurement then.

    ``measured`` was taken with ``unit_m`` metres per drawing unit and scales with the unit's ``power``
    (1 for a length, 2 for an area). The candidates are the units 10, 100 or 1000 times larger or smaller
    than ``unit_m`` (the usual mix-ups: mm/cm, mm/m, cm/m); of those that fit, the one most often meant
    (:data:`SUGGESTED_UNITS` order) is named. None when none fits (or the measurement is not positive):
    then no unit is the trouble, and the message does not guess."""
    if not measured > 0:
        return None
    for name, m in SUGGESTED_UNITS:
        factor = m / unit_m
        if not any(abs(factor / f - 1.0) < 1e-9 for f in (10.0, 100.0, 1000.0, 0.1, 0.01, 0.001)):
            continue
        scaled = measured * factor ** power
        if band[0] <= scaled <= band[1]:
            return name, scaled
    return None


def from_header(insunits: int | None) -> tuple[str, float] | None:
    """The unit declared in the header, or None when it is 0 (unitless) or absent."""
    try:
        return None if insunits is None else INSUNITS_M.get(int(insunits))
    except (TypeError, ValueError, OverflowError):  # a damaged header: treat as undeclared
        return None


def guess(span: float) -> tuple[str, float]:
    """Guess the unit from the drawing's larger extent, in drawing units.

    Chinese floor plans are drawn in millimetres or (site and survey drawings) metres. A building
    at least 1,000 units across is taken as millimetres (≥ 1 m), anything smaller as metres
    (< 1 km). The guess is always reported so the user can override it with ``--units``.
    """
    if span >= 1000.0:
        return "mm", 0.001
    return "m", 1.0
