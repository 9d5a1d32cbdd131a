"""Plan → Metrics: the areas a reviewer reads first.

建筑面积 (gross) is the area inside the outer face of the external walls, storeys summed
(GB/T 50353-2013 3.0.1); 使用面积 (usable) is the sum of the rooms, walls and columns excluded;
the hall share is hall usable area ÷ total usable area (开封 附件 第十七条).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from .model import Plan


@dataclass(frozen=True)
class Metrics:
    gross_area_m2: float
    usable_area_m2: float
    hall_area_m2: float
    hall_share: float | None
    area_by_type_m2: dict[str, float] = field(default_factory=dict)
    gross_area_by_storey_m2: tuple[float, ...] = ()
    room_count: int = 0

    def as_dict(self) -> dict:
        return {
            "gross_area_m2": round(self.gross_area_m2, 2),
            "usable_area_m2": round(self.usable_area_m2, 2),
            "hall_area_m2": round(self.hall_area_m2, 2),
            "hall_share": None if self.hall_share is None else round(self.hall_share, 4),
            "area_by_type_m2": {k: round(v, 2) for k, v in sorted(self.area_by_type_m2.items())},
            "gross_area_by_storey_m2": apportion(self.gross_area_by_storey_m2, 2),  # they add up to gross_area_m2
            "room_count": self.room_count,
        }


def apportion(values: Sequence[float], ndigits: int = 2) -> list[float]:
    """``values`` rounded to ``ndigits`` so that they add up to their sum rounded the same way.

    Rounded one by one, parts need not add up to the rounded total (3 storeys of 4223.157, 2995.318 and
    3007.306 m² show 10225.79 against a total of 10225.78), and a reviewer adding the figures on the page
    finds the report wrong. Largest-remainder apportionment (Hamilton's method): every part is rounded
    down, then the hundredths still missing from the total go one each to the parts that lost the most
    (the earlier part on a tie). Each part stays within one last digit of its exact value."""
    scale = 10 ** ndigits
    if not all(math.isfinite(v) and v >= 0 for v in values):  # no areas: round them one by one
        return [round(v, ndigits) for v in values]
    exact = [v * scale for v in values]
    floors = [math.floor(e) for e in exact]
    missing = round(round(sum(values), ndigits) * scale) - sum(floors)
    missing = max(0, min(missing, len(values)))  # 0 ≤ missing ≤ n for parts ≥ 0; guarded all the same
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [round(f / scale, ndigits) for f in floors]


def measure(plan: Plan) -> Metrics:
    by_type: dict[str, float] = {}
    for r in plan.rooms:
        by_type[r.type] = by_type.get(r.type, 0.0) + r.area_m2
    usable = sum(by_type.values())
    hall = by_type.get("hall", 0.0)
    storeys = tuple(s.gross_area_m2 for s in plan.storeys)
    return Metrics(
        gross_area_m2=sum(storeys),
        usable_area_m2=usable,
        hall_area_m2=hall,
        hall_share=hall / usable if usable > 0 and hall > 0 else None,  # no hall: unknown, as hall.share says
        area_by_type_m2=by_type,
        gross_area_by_storey_m2=storeys,
        room_count=len(plan.rooms),
    )
