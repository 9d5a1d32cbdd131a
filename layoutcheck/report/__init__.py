"""Results → the canonical JSON report, and its text form. Nothing here reads a DXF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import Join, Msg, message, name
from ..measure import Metrics
from ..model import Plan
from ..rules import Project, Result
from ..scoring import score, settle
from ..standards import Standard
from ..textsafe import clean_tree

SCHEMA_VERSION = 1


def pad(text: str, cells: int) -> str:
    """Left-justify in terminal cells (a CJK glyph takes two). Here rather than in .text so that
    `standards list/show` need not import rich's console."""
    from rich.cells import cell_len

    return text + " " * max(0, cells - cell_len(text))


def views_line(report: dict[str, Any], lang: str = "zh") -> str | None:
    """The views of a drawing set for a report's header: which were checked, which were not."""
    views = report.get("views") or []
    if len(views) < 2 and not any(v["checked"] for v in views):
        return None
    checked = [Join((v["title"], Msg("report.view-stated", area=v["stated_gross_m2"])), sep=None)
               if v.get("stated_gross_m2") else v["title"]
               for v in views if v["checked"]]
    other = [f"{v['title']}" for v in views if not v["checked"]]
    text = message("report.views-checked", lang, views=Join(checked, empty="word.dash"))
    return text + (message("report.views-unchecked", lang, views=Join(other)) if other else "")


def verdict(results: list[Result]) -> str:
    return "fail" if any(r.status == "fail" for r in results) else "pass"


def build(plan: Plan, metrics: Metrics, results: list[Result], standard: Standard, project: Project,
          lang: str = "zh", review: Any = None, sha256: dict[str, str | None] | None = None) -> dict[str, Any]:
    """The report as one JSON-ready dict (the contract in DESIGN.md).

    Under a scored standard the verdict and the grade are settled together (scoring.settle), so they
    never contradict; ``review`` (review.Review) lists what the reviewer confirmed. ``sha256`` maps a
    source path to its digest when the caller has hashed the file already (a batch hashes each drawing
    once, before the check): that file is not read again here."""
    from ..review import listing
    from ..routes import counter_fronts  # geometry: not imported by `standards show`, which renders no plan

    tr = next((r.details for r in results if r.rule == "area.tier" and r.details and r.details.get("tier")), None)
    sec = standard.scoring_for(project.kind)
    sc = score(sec, results, lang, project, review.points() if review else None) if sec else None
    verdict_ = settle(sc, sec, results, lang) if sec else verdict(results)
    return clean_tree({  # file names, standard titles and messages too: no control characters in any output
        "schema": SCHEMA_VERSION,
        "lang": lang,  # the language its worded fields are in
        "plan": Path(plan.sources[0]).name if len(plan.sources) == 1 else " + ".join(Path(s).name for s in plan.sources),
        "plans": list(plan.sources),
        "standard": standard.id,
        "standard_title": name(standard.meta, lang, "title"),
        "standard_document": standard.document or None,  # 文件号, e.g. 永政办函〔2014〕97号
        "standard_issued": standard.meta.get("issued"),
        "standard_sha256": _standard_digest(standard),  # the edition of the file checked against
        "kind": project.kind,
        "population": project.population,
        "tier": tr["tier"] if tr else None,  # the standard's own name for the tier (the contract)
        "tier_id": tr.get("tier_id") if tr else None,  # its stable id (tier-1 …)
        "tier_name": name({"name": tr["tier"], "name_en": tr.get("tier_en")}, lang) if tr else None,
        "verdict": verdict_,
        "metrics": metrics.as_dict(),
        "drawing": {
            "units": plan.units,
            "sha256": [sha256[p] if sha256 and p in sha256 else _file_sha256(p)  # what a reviewer's signature
                       for p in plan.sources],                                      # refers to
            "layer_convention": plan.convention,
            "storeys": [{"source": s.source, "view": s.view or None, "gross_area_m2": round(s.gross_area_m2, 2),
                         "stated_gross_m2": s.stated_gross_m2, "measured_from": s.footprint_source,
                         "parts": len(getattr(s.footprint, "geoms", [s.footprint]))} for s in plan.storeys],
        },
        "views": [{"title": v.title, "kind": v.kind, "storey": v.storey, "scale": v.scale or None,
                   "bbox": list(v.bbox) or None, "stated_gross_m2": v.stated_gross_m2, "checked": v.checked,
                   "source": v.source} for v in plan.views],
        "stated_total_m2": plan.stated_total_m2,
        "rooms": [{"name": r.name, "type": r.type, "area_m2": round(r.area_m2, 2), "storey": r.storey,
                   "layer": r.layer, "number": r.number or None, "stated_area_m2": r.stated_area_m2,
                   "stated_gross_m2": r.stated_gross_m2,
                   "centre": [round(c.x, 3), round(c.y, 3)]}
                  for r in plan.rooms for c in [r.polygon.representative_point()]],
        "zones": [{"name": z.name, "type": z.type, "room": z.room,
                   "area_m2": None if z.area_m2 is None else round(z.area_m2, 2)} for z in plan.zones],
        "doors": [{"block": d.block, "clear_width_mm": round(d.clear_width_mm), "automatic": d.automatic,
                   "centre": [round(d.axis.centroid.x, 3), round(d.axis.centroid.y, 3)]} for d in plan.doors],
        "counters": [{"block": c.block, "height_mm": None if c.height_mm is None else round(c.height_mm),
                      "depth_mm": round(c.depth_mm), "length_mm": round(c.length_mm),
                      "centre": [round(c.footprint.centroid.x, 3), round(c.footprint.centroid.y, 3)],
                      "front": f.source, "front_side": [[round(x, 3), round(y, 3)] for x, y in f.edge.coords]}
                     for c, f in zip(plan.counters, counter_fronts(plan))],
        "results": [r.as_dict(lang) for r in results],
        "warnings": [r.message(lang) for r in results if r.status == "warn"],
        "project": {"name": project.name, "staff": project.staff, "employment_staff": project.employment_staff,
                    "windows": project.windows, "approved_increase": project.approved_increase},
        "score": sc,
        "review": {"file": review.path, "confirmed": listing(review)} if review else None,
        "to_confirm": to_confirm(results, lang),
    })


def _file_sha256(path: str) -> str | None:
    """SHA-256 of a drawing file as checked (None for a plan built in memory, or a file gone since)."""
    from ..digest import file_digest  # one hash function for drawings, the batch's

    try:
        return file_digest(path)
    except (OSError, InputError):
        return None


def _standard_digest(standard: Standard) -> str:
    from ..digest import standard_digest

    return standard_digest(standard)


def to_confirm(results: list[Result], lang: str = "zh") -> list[dict[str, Any]]:
    """What the plan could not show and nobody has confirmed yet: each n/a result's items by name."""
    out = []
    for r in results:
        if r.status != "n/a":
            continue
        if r.rule == "checklist.confirm":
            names = [r.item_name(i["name"]).render(lang) for i in r.details.get("items", [])]
        elif r.rule in ("equipment.required", "counter.count") and isinstance(r.details.get("shortfall"), dict):
            names = [r.item_name(n).render(lang) for n in r.details["shortfall"]]
        else:
            names = []
        out.append({"rule": r.rule, "items": names, "message": r.message(lang)})
    return out
