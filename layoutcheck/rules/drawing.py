"""The drawing pre-check (``drawing.*`` results): what each finding means and what to do about it.

The findings themselves are made while reading (``layoutcheck.ingest``) and reported before the rules
(``rules.drawing_results``); this table is their documentation, for ``layoutcheck explain`` and
``layoutcheck rules``. A test holds it to every ``drawing.*`` message the reader can give.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import Localized


@dataclass(frozen=True)
class DrawingCheck:
    """A drawing finding's documentation: the catalog's ``check.ID.title``, ``.what`` (what layoutcheck found
    and did about it) and ``.fix`` (what the drafter should do)."""

    id: str

    @property
    def title(self) -> Localized:
        return Localized(f"check.{self.id}.title")

    @property
    def what(self) -> Localized:
        return Localized(f"check.{self.id}.what")

    @property
    def fix(self) -> Localized:
        return Localized(f"check.{self.id}.fix")


DRAWING_CHECKS: dict[str, DrawingCheck] = {c.id: c for c in (
    DrawingCheck("drawing.no-room-outlines"),
    DrawingCheck("drawing.no-rooms"),
    DrawingCheck("drawing.no-walls"),
    DrawingCheck("drawing.units-guessed"),
    DrawingCheck("drawing.units-suspect"),
    DrawingCheck("drawing.usable-exceeds-gross"),
    DrawingCheck("drawing.encoding-guessed"),
    DrawingCheck("drawing.unlabeled-room"),
    DrawingCheck("drawing.unknown-room-type"),
    DrawingCheck("drawing.label-outside"),
    DrawingCheck("drawing.open-room-outline"),
    DrawingCheck("drawing.invalid-polygon"),
    DrawingCheck("drawing.overlapping-rooms"),
    DrawingCheck("drawing.area-mismatch"),
    DrawingCheck("drawing.outline-mismatch"),
    DrawingCheck("drawing.stated-gross-mismatch"),
    DrawingCheck("drawing.single-line"),
    DrawingCheck("drawing.repeated-plan"),
    DrawingCheck("drawing.same-storey-views"),
    DrawingCheck("drawing.drawing-set"),
    DrawingCheck("drawing.no-plan-view"),
    DrawingCheck("drawing.proxy-entities"),
    DrawingCheck("drawing.dwg-block-names"),
    DrawingCheck("drawing.dwg-unread"),
    DrawingCheck("drawing.recovered"),
    DrawingCheck("drawing.nesting-limit"),
    DrawingCheck("drawing.bad-numbers"),
    DrawingCheck("drawing.counter-front-inferred"),
    DrawingCheck("drawing.counter-long"),
    DrawingCheck("drawing.vertex-limit"),
    DrawingCheck("drawing.simplified"),
    DrawingCheck("drawing.routes-simplified"),
)}
