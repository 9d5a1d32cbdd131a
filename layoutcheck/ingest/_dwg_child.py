"""Read a DWG with ezdwg in a process of its own and print what it holds as a pickle on stdout.

Run as a script (``python _dwg_child.py FILE MEMORY_MB CPU_S``) by :mod:`layoutcheck.ingest.dwg`, never
imported by layoutcheck itself: ezdwg's core is Rust, which neither SIGALRM nor an asynchronous
exception can stop mid-call, and whose allocation failure aborts the process. Here the address space
and CPU time are capped with ``setrlimit`` before ezdwg is even imported, and the parent kills the
process when the check's time limit comes; a crash or an exhausted cap ends this process, not the check.

The output is plain data only (str, int, float, tuples, lists, dicts): the parent builds an ezdxf
document from it. Entity types are queried one at a time so that one type ezdwg cannot decode (a
TEXT with a NaN position makes ``query("TEXT")`` raise) costs that type's fallback, not the drawing.
"""

from __future__ import annotations

import math
import pickle
import sys

# What layoutcheck's extractor reads, plus what a marked-up copy should still show.
TYPES = ("LINE", "ARC", "CIRCLE", "ELLIPSE", "LWPOLYLINE", "POLYLINE_2D", "POLYLINE_3D", "TEXT", "MTEXT",
         "INSERT", "ATTRIB", "ATTDEF", "HATCH", "SOLID", "TRACE", "POINT")
# TArch (天正) and AutoCAD Architecture objects: ezdwg exposes no geometry for them.
CUSTOM_PREFIXES = ("TCH_", "AEC_", "TDB")
CUSTOM_TYPES = ("ACAD_PROXY_ENTITY",)

# Keys of ezdwg's entity dicts that the parent uses, per type (the rest is style and diagnostics).
KEEP = {
    "LINE": ("start", "end", "thickness", "extrusion"),
    "ARC": ("center", "radius", "start_angle", "end_angle", "extrusion"),
    "CIRCLE": ("center", "radius", "extrusion"),
    "ELLIPSE": ("center", "major_axis", "axis_ratio", "start_angle", "end_angle", "extrusion"),
    "LWPOLYLINE": ("points", "bulges", "widths", "const_width", "closed", "elevation", "extrusion"),
    "POLYLINE_2D": ("points", "bulges", "closed", "elevation", "extrusion", "interpolated_points",
                    "interpolation_applied"),
    "POLYLINE_3D": ("points", "closed"),
    "TEXT": ("text", "insert", "align_point", "height", "rotation", "width", "oblique", "halign", "valign",
             "extrusion"),
    "MTEXT": ("text", "raw_text", "insert", "char_height", "rect_width", "attachment_point", "text_direction",
              "rotation", "extrusion"),
    "INSERT": ("name", "insert", "xscale", "yscale", "zscale", "rotation", "extrusion"),
    "ATTRIB": ("text", "tag", "insert", "align_point", "height", "rotation", "width", "halign", "valign",
               "attribute_flags", "owner_handle"),
    "ATTDEF": ("text", "tag", "prompt", "insert", "align_point", "height", "rotation", "width", "halign", "valign",
               "attribute_flags"),
    "HATCH": ("paths", "pattern_name", "solid_fill", "elevation", "extrusion"),
    "SOLID": ("points", "thickness", "extrusion"),
    "TRACE": ("points", "thickness", "extrusion"),
    "POINT": ("location",),
}


def _limit(memory_mb: int, cpu_s: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the parent's time limit still holds
        return
    for what, value in ((getattr(resource, "RLIMIT_AS", None), memory_mb * 1024 * 1024),
                        (getattr(resource, "RLIMIT_CPU", None), cpu_s)):
        if what is None or value <= 0:
            continue
        soft, hard = resource.getrlimit(what)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(what, (value, hard))
        except (ValueError, OSError):
            pass


def _text_rows(raw, path: str) -> list[tuple[str, int, dict]]:
    """TEXT straight from the decoder's rows, for when ezdwg's own TEXT query raises (NaN positions)."""
    out = []
    for handle, text, insertion, alignment, extrusion, metrics, align_flags, _style, _owner in \
            raw.decode_text_entities(path):
        thickness, oblique, height, rotation, width = metrics
        _gen, halign, valign = align_flags
        out.append(("TEXT", int(handle), {
            "text": text, "insert": insertion, "align_point": alignment, "extrusion": extrusion,
            "height": height, "rotation": math.degrees(rotation) if math.isfinite(rotation) else rotation,
            "width": width, "oblique": math.degrees(oblique) if math.isfinite(oblique) else oblique,
            "halign": halign, "valign": valign}))
    return out


def read(path: str) -> dict:
    import ezdwg
    from ezdwg import raw

    doc = ezdwg.read(path)
    header = doc.header_variables()
    headers = raw.list_object_headers_with_type(path)
    kind_of = {int(h[0]): str(h[4]) for h in headers}
    custom: dict[str, int] = {}
    for h in headers:  # entities ("E") only: TCH_DBCONFIG and the like are non-graphical objects ("O")
        kind = str(h[4])
        if str(h[5]) == "E" and (kind.startswith(CUSTOM_PREFIXES) or kind in CUSTOM_TYPES):
            custom[kind] = custom.get(kind, 0) + 1
    layers = {int(h): name for h, name in raw.decode_layer_names(path)}
    style_layer = {int(row[0]): int(row[3]) for row in raw.decode_entity_styles(path)}
    placements = {int(h): (int(mode), int(owner)) for h, mode, owner in raw.decode_entity_placements(path)}
    header_handles = {h for h, k in kind_of.items() if k == "BLOCK_HEADER"}
    block_names = {int(h): name for h, name in raw.decode_block_header_names(path) if int(h) in header_handles}
    blocks = []
    for row in raw.decode_write_blocks(path):
        blocks.append((int(row["handle"]), row["name"], tuple(row.get("base_point") or (0.0, 0.0, 0.0))))
    insert_blocks = {int(h): int(block) if block is not None else None
                     for h, _normal, block, _attrs in raw.decode_insert_write_properties(path)}

    entities: list[tuple[str, int, dict]] = []
    failed: dict[str, str] = {}
    ents = doc.entities()
    for t in TYPES:
        try:
            got = [(t, int(e.handle), {k: e.dxf[k] for k in KEEP[t] if k in e.dxf})
                   for e in ents.query(t, include_styles=False)]
        except Exception as exc:  # noqa: BLE001 - ezdwg raises on a whole type for one bad entity
            got = None
            failed[t] = f"{type(exc).__name__}: {exc}"[:200]
            if t == "TEXT":
                try:
                    got = _text_rows(raw, path)
                except Exception as exc2:  # noqa: BLE001
                    failed[t] += f"; rows: {type(exc2).__name__}: {exc2}"[:200]
        if got is None:
            continue
        for kind, handle, dxf in got:
            # Text ezdwg recovers from proxy graphics (synthetic handles) is not an entity of the file:
            # a DXF of the same drawing does not have it either.
            if kind_of.get(handle) != kind:
                continue
            entities.append((kind, handle, dxf))
    lost = {t: sum(1 for k in kind_of.values() if k == t) for t in failed if t != "TEXT" or "rows:" in failed[t]}
    return {
        "version": doc.version,
        "insunits": header.get("insunits"),
        "layers": layers,
        "style_layer": style_layer,
        "placements": placements,
        "block_names": block_names,
        "blocks": blocks,
        "insert_blocks": insert_blocks,
        "entities": entities,
        "failed": failed,
        "lost": lost,
        "custom": custom,
    }


def main(argv: list[str]) -> int:
    path, memory_mb, cpu_s = argv[1], int(argv[2]), int(argv[3])
    _limit(memory_mb, cpu_s)
    try:
        result = {"ok": read(path)}
    except MemoryError:
        result = {"error": "memory"}
    except Exception as exc:  # noqa: BLE001 - any failure of the reader is "damaged" to the parent
        result = {"error": "damaged", "reason": f"{type(exc).__name__}: {exc}"[:200]}
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        result = None
        data = pickle.dumps({"error": "memory"})
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
