"""Plans built in code, for testing rules without a DXF.

``station()`` is a Kaifeng 二类 station right in everything a floor plan shows, drawn on paper first:

    y 10.0 ┌───────────┬───────────┬───────────┐   outer walls 0.2 m thick, gross 12.0 × 10.0 = 120 m²
           │ 档案室     │ 办公室     │ 卫生间     │   rooms y 6.4–9.8 (3.4 m deep):
       6.4 ├──┤1.0├────┴──┤1.0├────┴──┤1.0├────┤     archive x 0.2–4.0 = 12.92 m², office 4.2–8.0 = 12.92 m²,
       6.2 │                                   │     toilet 8.2–11.8 = 12.24 m²
           │ 服务大厅   ▭ counter   ▭ counter    │   hall x 0.2–11.8, y 0.2–6.2 = 69.60 m²
           │                                   │   usable 107.68 m²; hall share 69.60 / 107.68 = 64.64 %
    y 0.0  └──────────────┤ 1.2 入口 ├─────────┘   entrance x 5.4–6.6 in the south wall

Counters 1.6 m × 0.75 m, 760 mm high (Kaifeng art. 20), one named 低位柜台; zones labelled in the hall.
No equipment is drawn. Every figure above is worked by hand; tests use these, not layoutcheck's output.
Variants are made with :func:`dataclasses.replace` or the small helpers below.
"""

from __future__ import annotations

from dataclasses import replace

from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import unary_union

from layoutcheck.model import Counter, Furniture, Label, Opening, Plan, Room, Storey, Zone

GROSS = box(0, 0, 12, 10)
HALL = box(0.2, 0.2, 11.8, 6.2)
ARCHIVE = box(0.2, 6.4, 4.0, 9.8)
OFFICE = box(4.2, 6.4, 8.0, 9.8)
TOILET = box(8.2, 6.4, 11.8, 9.8)
AREAS = {"hall": 11.6 * 6.0, "archive": 3.8 * 3.4, "office": 3.8 * 3.4, "toilet": 3.6 * 3.4}
USABLE = sum(AREAS.values())  # 107.68


def _door(x0: float, x1: float, y: float, thick: float, external: bool = False, block: str = "M1021") -> Opening:
    """A door in a horizontal wall from y to y + thick, clear between x0 and x1."""
    axis = LineString([(x0, y + thick / 2), (x1, y + thick / 2)])
    gap = box(x0, y, x1, y + thick)
    return Opening("door", block, "DOOR_FIRE", axis, x1 - x0, gap.buffer(0.05), gap=gap, external=external)


def _walls(doors: list[Opening]) -> tuple[Polygon, ...]:
    outer = GROSS.difference(box(0.2, 0.2, 11.8, 9.8))
    inner = unary_union([box(0.2, 6.2, 11.8, 6.4), box(4.0, 6.4, 4.2, 9.8), box(8.0, 6.4, 8.2, 9.8)])
    solid = unary_union([outer, inner]).difference(unary_union([d.gap for d in doors]))
    return tuple(getattr(solid, "geoms", [solid]))


def counter(x: float, y: float = 4.5, *, block: str = "柜台", height_mm: float | None = 760, length_m: float = 1.6,
            depth_m: float = 0.75, service: str | None = None) -> Counter:
    attrs = {"HEIGHT": str(height_mm)} if height_mm is not None else {}
    if service:
        attrs["SERVICE"] = service
    return Counter(block, "COUNTER", box(x, y, x + length_m, y + depth_m), length_m, depth_m, height_mm, 0, attrs)


def station(*, doors: list[Opening] | None = None, counters: list[Counter] | None = None,
            furniture: tuple[Furniture, ...] = (), labels: tuple[Label, ...] = (),
            rooms: list[Room] | None = None, zones: tuple[Zone, ...] | None = None) -> Plan:
    """The right station (see the module docstring), with any part replaced."""
    doors = doors if doors is not None else [
        _door(5.4, 6.6, 0.0, 0.2, external=True, block="M1221"),
        _door(1.6, 2.6, 6.2, 0.2), _door(5.6, 6.6, 6.2, 0.2), _door(9.5, 10.5, 6.2, 0.2)]
    walls = _walls(doors)
    rooms = rooms if rooms is not None else [
        Room("服务大厅", "hall", HALL, "SPACE"), Room("档案室", "archive", ARCHIVE, "SPACE"),
        Room("办公室", "office", OFFICE, "SPACE"), Room("卫生间", "auxiliary", TOILET, "SPACE")]
    counters = counters if counters is not None else [counter(2.0, block="低位柜台"), counter(8.0)]
    zones = zones if zones is not None else (
        Zone("业务办理区", "business", "服务大厅", Point(5.0, 5.0)),
        Zone("等候区", "waiting", "服务大厅", Point(3.0, 2.0)),
        Zone("查询区", "query", "服务大厅", Point(10.0, 2.0)))
    storey = Storey(0, "built.dxf", GROSS, "walls", walls, ())
    return Plan(("built.dxf",), "mm", 0.001, "tarch", (storey,), tuple(rooms), tuple(zones), walls, (),
                tuple(doors), tuple(counters), tuple(furniture),
                (Label("入口", Point(6.0, -0.5), 0.3, "PUB_TEXT"), *labels))


def board(x: float = 11.0, y: float = 3.0, name: str = "信息栏") -> Furniture:
    """A notice board block against the hall's east wall."""
    return Furniture(name, "A-FURN", "board", box(x, y, x + 0.6, y + 0.1))


def community() -> Plan:
    """A Kaifeng community station: the same building, its hall the 公共服务区, a 咨询室 and an 档案室.

    gross 120 m² (≥ 50, 正文 二.3); hall + counters give the 人力资源服务 and 社会保险经办 zones."""
    rooms = [Room("服务大厅", "hall", HALL, "SPACE"), Room("档案室", "archive", ARCHIVE, "SPACE"),
             Room("咨询室", "consultation", OFFICE, "SPACE"), Room("卫生间", "auxiliary", TOILET, "SPACE")]
    return station(rooms=rooms, zones=())


def without_room(plan: Plan, type_: str) -> Plan:
    return replace(plan, rooms=tuple(r for r in plan.rooms if r.type != type_))


def hall_scaled(plan: Plan, hall_m2: float) -> Plan:
    """The hall cut to ``hall_m2`` (its depth shortened from y 6.2 downward), other rooms kept."""
    depth = hall_m2 / 11.6
    rooms = tuple(replace(r, polygon=box(0.2, 6.2 - depth, 11.8, 6.2)) if r.type == "hall" else r
                  for r in plan.rooms)
    return replace(plan, rooms=rooms)
