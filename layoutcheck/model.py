"""The plan as the rules see it: small immutable records holding shapely geometry in metres.

Coordinates keep the drawing's own frame (only scaled to metres), so a location in a report
can be found in CAD by dividing by the unit factor. Field names carry their units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # shapely is imported where geometry is made: `layoutcheck rules` and `--version` need none
    from shapely.geometry import LineString, MultiLineString, Point, Polygon
    from shapely.geometry.base import BaseGeometry

from .textsafe import label as _label_text, name as _name


def _clean_fields(obj: Any, *names: str) -> None:
    """Store the named string fields of a frozen record cleaned and capped (textsafe.name): text from a
    drawing is untrusted, and every output (terminal, SVG, HTML, CSV, DXF, PDF) starts from these records."""
    for f in names:
        v = getattr(obj, f)
        if isinstance(v, str):
            safe = _name(v)
            if safe != v:
                object.__setattr__(obj, f, safe)


@dataclass(frozen=True)
class Label:
    """A piece of text on the plan (TEXT / MTEXT), already stripped of formatting codes."""

    text: str
    point: Point
    height_m: float
    layer: str
    storey: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _label_text(self.text))
        _clean_fields(self, "layer")


@dataclass(frozen=True)
class Room:
    """A room outline with its name and type (see :mod:`layoutcheck.classify`)."""

    name: str
    type: str
    polygon: Polygon
    layer: str
    storey: int = 0
    labels: tuple[str, ...] = ()
    stated_area_m2: float | None = None  # the usable area its label states ("67.74㎡", 使用面积：…), if any
    number: str = ""  # 房间编号 from a label with field names: a number, never the name
    stated_gross_m2: float | None = None  # 建筑面积 stated in its label, if any

    def __post_init__(self) -> None:
        _clean_fields(self, "name", "layer", "number")
        if any(_label_text(t) != t for t in self.labels):
            object.__setattr__(self, "labels", tuple(_label_text(t) for t in self.labels))

    @property
    def area_m2(self) -> float:
        return self.polygon.area


@dataclass(frozen=True)
class Zone:
    """A functional zone inside a room (等候区, 查询区 …): an outline or just a label."""

    name: str
    type: str
    room: str
    geometry: BaseGeometry  # Polygon when outlined, Point when only labelled
    storey: int = 0

    def __post_init__(self) -> None:
        _clean_fields(self, "name", "room")

    @property
    def area_m2(self) -> float | None:
        from shapely.geometry import Polygon

        return self.geometry.area if isinstance(self.geometry, Polygon) else None


@dataclass(frozen=True)
class Opening:
    """A door or window. ``axis`` runs across the opening, along the wall."""

    kind: str  # "door" | "window"
    block: str
    layer: str
    axis: LineString
    clear_width_m: float
    footprint: Polygon  # the block's drawn extent (leaf and swing included)
    storey: int = 0
    automatic: bool = False
    gap: Polygon | None = None  # the piece of wall the opening replaces (its jambs' hull)
    external: bool = False  # in an external wall: a way in from outside
    symbol: MultiLineString | None = None  # a door as drawn (leaf and swing), for overlays only

    def __post_init__(self) -> None:
        _clean_fields(self, "block", "layer")

    @property
    def clear_width_mm(self) -> float:
        return self.clear_width_m * 1000.0


@dataclass(frozen=True)
class Counter:
    """A service counter (柜台 / 服务台 / 窗口)."""

    block: str
    layer: str
    footprint: Polygon
    length_m: float
    depth_m: float
    height_mm: float | None  # from an attribute; None when the drawing does not say
    storey: int = 0
    attributes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _clean_fields(self, "block", "layer")
        if any(isinstance(v, str) and _name(v) != v or _name(k) != k for k, v in self.attributes.items()):
            object.__setattr__(self, "attributes", {_name(k): _name(v) if isinstance(v, str) else v
                                                    for k, v in self.attributes.items()})

    @property
    def length_mm(self) -> float:
        return self.length_m * 1000.0

    @property
    def depth_mm(self) -> float:
        return self.depth_m * 1000.0


@dataclass(frozen=True)
class Furniture:
    """Anything that stands on the floor and is not a counter: seats, boards, screens, benches."""

    block: str
    layer: str
    kind: str  # "seat" | "board" | "display" | "furniture"
    footprint: Polygon
    storey: int = 0

    def __post_init__(self) -> None:
        _clean_fields(self, "block", "layer")


@dataclass(frozen=True)
class View:
    """One view of a drawing set (一层平面图, ①-④立面图, 1-1剖面图 …): its title, kind and extent.

    ``kind`` is one of plan, roof, site, elevation, section, detail, schedule, index, notes;
    ``storey`` the storey a plan title names (一层 → 1, 地下一层 → -1) or None;
    ``stated_gross_m2`` a 本层建筑面积 the drawing states under it; ``checked`` whether it was checked."""

    title: str
    kind: str
    bbox: tuple[float, float, float, float]  # metres, drawing frame
    source: str = ""
    storey: int | None = None
    scale: str = ""
    stated_gross_m2: float | None = None
    checked: bool = False

    def __post_init__(self) -> None:
        _clean_fields(self, "title", "scale")


@dataclass(frozen=True)
class Approach:
    """The way up to an entrance, drawn outside it: a ramp (坡道) or an entrance platform (平台)."""

    kind: str  # "ramp" | "platform"
    polygon: Polygon
    layer: str
    storey: int = 0
    slope: float | None = None  # rise / run, from a label on or beside it ("1:12", "i=1/12", "8%")

    def __post_init__(self) -> None:
        _clean_fields(self, "layer")


@dataclass(frozen=True)
class Storey:
    """One storey of the facility: its file (or view of a drawing set) and the outer outline of its
    building (建筑面积)."""

    index: int
    source: str
    footprint: BaseGeometry  # Polygon or MultiPolygon, to the outer face of the external walls
    footprint_source: str  # "outline" (drawn) | "walls" (measured from walls) | "rooms"
    walls: tuple[Polygon, ...] = ()  # this storey's walls (Plan.walls holds every storey's)
    columns: tuple[Polygon, ...] = ()
    view: str = ""  # the plan view's title when the file is a drawing set
    stated_gross_m2: float | None = None  # 本层建筑面积 the drawing states for it

    def __post_init__(self) -> None:
        _clean_fields(self, "view")

    @property
    def gross_area_m2(self) -> float:
        return self.footprint.area


@dataclass(frozen=True)
class Finding:
    """A problem with the drawing itself, reported as a ``drawing.*`` result."""

    rule: str  # e.g. "drawing.units-guessed"
    message_key: str
    args: dict[str, Any] = field(default_factory=dict)
    where: tuple[tuple[float, float], ...] = ()
    severity: str = "warn"  # "warn" | "fail"
    details: dict[str, Any] = field(default_factory=dict)  # e.g. {"gap": [[x, y], …]}: drawn as a line


@dataclass(frozen=True)
class Plan:
    """Everything the measurements and rules need, in metres, and nothing about the DXF."""

    sources: tuple[str, ...]
    units: str  # the drawing unit the geometry was scaled from ("mm", "m", …)
    unit_m: float  # metres per drawing unit
    convention: str  # layer convention recognised: "tarch" | "aia" | "generic" | "custom"
    storeys: tuple[Storey, ...]
    rooms: tuple[Room, ...]
    zones: tuple[Zone, ...]
    walls: tuple[Polygon, ...]
    columns: tuple[Polygon, ...]
    openings: tuple[Opening, ...]
    counters: tuple[Counter, ...]
    furniture: tuple[Furniture, ...]
    labels: tuple[Label, ...]
    findings: tuple[Finding, ...] = ()
    views: tuple[View, ...] = ()  # the views found in drawing sets (empty for a single plan)
    stated_total_m2: float | None = None  # 总建筑面积 stated in the notes, if any
    approaches: tuple[Approach, ...] = ()  # ramps and entrance platforms, when drawn

    @property
    def doors(self) -> tuple[Opening, ...]:
        return tuple(o for o in self.openings if o.kind == "door")

    @property
    def windows(self) -> tuple[Opening, ...]:
        return tuple(o for o in self.openings if o.kind == "window")
