"""Which numbers from a drawing the reader accepts: finite, and of a size geometry survives.

Shared by the guard (:func:`.reader.guard`, which drops entities holding others) and the selective reader
(which reads plain block references from their tags and must refuse what the guard would drop).
"""

from __future__ import annotations

import math
import sys

MAX_ABS = 1e12  # drawing units: survey coordinates in millimetres are ~1e10; beyond this, squares overflow soon
MAX_BULGE = 1e4  # tan(θ/4) of an arc of 359.9°; larger bulges are arcs of astronomical radius
INSERT_SCALE = (1e-9, 1e9)  # |scale| outside this range: a degenerate or absurd block reference
MIN_ABS = sys.float_info.min  # subnormal numbers (5e-324): a circle of that radius is NaN inside GEOS


def ok(v) -> bool:
    """Is ``v`` (a float, or None for "not given") a number the reader keeps?"""
    return v is None or math.isfinite(v) and (v == 0 or MIN_ABS <= abs(v) <= MAX_ABS)
