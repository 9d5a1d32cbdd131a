"""Plan → Metrics: the areas a reviewer reads first.

建筑面积 (gross) is the area inside the outer face of the external walls, storeys summed
(GB/T 50353-2013 3.0.1); 使用面积 (usable) is the sum of the rooms, walls and columns excluded;
the hall share is hall usable area ÷ total usable area (开封 附件 第十七条).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
            "gross_area_by_storey_m2": [round(a, 2) for a in self.gross_area_by_storey_m2],
            "room_count": self.room_count,
        }


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
