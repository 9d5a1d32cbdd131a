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
