"""Code pages: GBK, Big5 and Shift-JIS by $DWGCODEPAGE, and a fallback when the declared one is wrong."""

from __future__ import annotations

import pytest

from layoutcheck import samples

from .conftest import CORPUS, require

TRADITIONAL = {"服务大厅": "服務大廳", "档案室": "檔案室", "办公室": "辦公室", "卫生间": "衛生間"}


def r12(tmp_path, name, encoding, declare, traditional=False):
    lay = samples.station_tier2_ok()
    if traditional:
        for r in lay.rooms:
            r.name = TRADITIONAL[r.name]
        lay.labels = []
    p = samples.save(samples.build(lay, dxfversion="R12"), tmp_path / name, encoding=encoding)
    data = p.read_bytes()
    real = {"gbk": b"ANSI_936", "big5": b"ANSI_950"}[encoding]
    assert real in data and lay.rooms[1].name.encode(encoding) in data  # really that code page
    p.write_bytes(data.replace(real, declare))
    return p


def rooms(run):
    return sorted(r["name"] for r in run.json["rooms"])


def guessed(run):
    return [r for r in run.json["results"] if r["rule"] == "drawing.encoding-guessed"]


def test_gbk_declared(tmp_path, cli):
    run = cli("check", r12(tmp_path, "gbk.dxf", "gbk", b"ANSI_936"), "--format", "json")
    assert rooms(run) == ["办公室", "卫生间", "服务大厅", "档案室"] and not guessed(run)


def test_gbk_declared_as_latin_is_read_as_gbk_and_said(tmp_path, cli):
    run = cli("check", r12(tmp_path, "gbk-wrong.dxf", "gbk", b"ANSI_1252"), "--population", "30000",
              "--format", "json")
    assert rooms(run) == ["办公室", "卫生间", "服务大厅", "档案室"]
    (g,) = guessed(run)
    assert g["status"] == "warn" and "gbk" in g["message"] and "ANSI_1252" in g["message"]
    assert run.json["metrics"]["hall_area_m2"] == pytest.approx(69.81, abs=0.01)


def test_big5_declared_and_traditional_names_classified(tmp_path, cli):
    run = cli("check", r12(tmp_path, "big5.dxf", "big5", b"ANSI_950", traditional=True), "--format", "json")
    assert {r["name"]: r["type"] for r in run.json["rooms"]} == {
        "服務大廳": "hall", "檔案室": "archive", "辦公室": "office", "衛生間": "auxiliary"}


def test_big5_declared_wrong(tmp_path, cli):
    run = cli("check", r12(tmp_path, "big5-wrong.dxf", "big5", b"ANSI_1252", traditional=True), "--format", "json")
    assert rooms(run) == sorted(TRADITIONAL.values())
    assert "big5" in guessed(run)[0]["message"]


def test_forced_encoding_wins(tmp_path, cli):
    run = cli("check", r12(tmp_path, "gbk-forced.dxf", "gbk", b"ANSI_1252"), "--encoding", "gbk", "--format", "json")
    assert rooms(run) == ["办公室", "卫生间", "服务大厅", "档案室"] and not guessed(run)


def test_shift_jis_without_code_page(cli):
    # Jw_cad export: Shift-JIS bytes, no $DWGCODEPAGE; its layers are 基準線, 柱, 壁__窓 …
    run = cli("check", require(CORPUS / "cad__house.dxf"), "--format", "json")
    assert run.code in (0, 1, 2)
    if run.code == 2:
        assert "基準線" in run.err or "柱" in run.err
    else:
        assert "cp932" in guessed(run)[0]["message"]


# --- \U+ escapes (issue 12): R2000–R2004 text in a Western code page -------------------------------------
def escaped_twin(tmp_path):
    """The tier-2 station with Chinese in every kind of string — TEXT and MTEXT labels, an ATTRIB, a layer
    name, block names — drawn twice: R2000 saved in cp1252 (every Chinese character written as \\U+XXXX,
    as AutoCAD does on a Western system) and R2018 (UTF-8)."""
    import ezdxf

    lay = samples.station_tier2_ok()
    for it in lay.items:
        if it.block == "柜台":
            it.attribs = {"HEIGHT": "760", "SERVICE": "社会救助"}
    paths = []
    for version, encoding, name in (("R2000", "cp1252", "escaped.dxf"), ("R2018", None, "utf8.dxf")):
        doc = samples.build(lay, dxfversion=version)
        doc.layers.add("文字标注")
        msp = doc.modelspace()
        msp.add_mtext("等候区", dxfattribs={"layer": "文字标注", "insert": (3000, 2000), "char_height": 300})
        msp.add_text("信息栏", dxfattribs={"layer": "文字标注", "height": 300, "insert": (9000, 2500)})
        if encoding:
            doc.encoding = encoding
            doc.header["$DWGCODEPAGE"] = "ANSI_1252"
        paths.append(samples.save(doc, tmp_path / name))
    return paths


def test_escaped_r2000_reads_exactly_like_its_utf8_twin(tmp_path, cli):
    escaped, utf8 = escaped_twin(tmp_path)
    raw = escaped.read_bytes()
    assert b"AC1015" in raw and b"ANSI_1252" in raw
    assert b"\\U+670d\\U+52a1\\U+5927\\U+5385" in raw.replace(b"\\U+670D", b"\\U+670d")  # 服务大厅
    assert "服务".encode("utf-8") not in raw and "服务".encode("gbk") not in raw  # only escapes
    assert "\\U+6587\\U+5b57\\U+6807\\U+6ce8".encode() in raw  # the layer 文字标注
    a = cli("check", escaped, "--population", "30000", "--format", "json").json
    b = cli("check", utf8, "--population", "30000", "--format", "json").json
    for k in ("plan", "plans"):
        a.pop(k), b.pop(k)
    for rep in (a, b):  # the files differ, so do their names and digests; nothing else may
        rep["drawing"]["storeys"][0].pop("source"), rep["drawing"].pop("sha256", None)
    assert a == b
    assert {r["name"] for r in a["rooms"]} == {"服务大厅", "档案室", "办公室", "卫生间"}
    assert {c["block"] for c in a["counters"]} == {"柜台"}
    assert any(z["name"] == "等候区" for z in a["zones"])
    from layoutcheck.ingest import read_plan

    plan = read_plan([escaped])
    assert {c.attributes.get("SERVICE") for c in plan.counters} == {"社会救助"}
    # every string as read: layer names (table and entities), block names, TEXT and MTEXT
    from layoutcheck.ingest.reader import open_dxf

    doc, _ = open_dxf(escaped)
    assert "文字标注" in {layer.dxf.name for layer in doc.layers} and "柜台" in doc.blocks
    assert {(e.dxftype(), e.dxf.layer, e.plain_text()) for e in doc.modelspace().query("TEXT MTEXT")
            if e.dxf.layer != "PUB_TEXT"} == {("MTEXT", "文字标注", "等候区"), ("TEXT", "文字标注", "信息栏")}
    assert {c.attributes.get("SERVICE") for c in plan.counters} == {"社会救助"}


def test_escapes_are_decoded_in_layer_names_attribs_and_mif():
    from layoutcheck.ingest.encoding import decode_escapes

    assert decode_escapes("\\U+6587\\U+5B57\\U+6807\\U+6CE8") == "文字标注"
    assert decode_escapes("\\M+5B7FE\\M+5CEF1") == "服务"  # MIF: code page 5 = GB 2312, bytes B7FE CEF1
    assert decode_escapes("M1021 \\P 60%") == "M1021 \\P 60%"  # nothing else touched
