"""Bad input: one clear line naming the file and what to do, exit code 2, never a traceback."""

from __future__ import annotations

import shutil

import ezdxf
import pytest

from .conftest import PLANS


def one_line(run) -> str:
    assert run.code == 2, (run.code, run.out, run.err)
    assert run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    return lines[0]


def test_damaged_dwg_file(tmp_path, cli):
    """DWG magic and then junk: read as a DWG (ezdwg), which fails: one line saying what to do."""
    p = tmp_path / "hall.dwg"
    p.write_bytes(b"AC1032\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 10)
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "DWG file cannot be read" in line and "RECOVER" in line


def test_damaged_dwg_renamed_to_dxf_in_chinese(tmp_path, cli):
    p = tmp_path / "hall.dxf"
    p.write_bytes(b"AC1027" + b"\x00" * 200)
    line = one_line(cli("check", p))
    assert str(p) in line and "DWG 文件无法读取" in line and "另存为 DWG 或 DXF" in line


@pytest.mark.parametrize("magic,version", [(b"AC1009", "R11/R12"), (b"AC1006", "R10"), (b"AC2.10", "2.10")])
def test_dwg_older_than_r13_is_refused_in_one_line(tmp_path, cli, magic, version):
    p = tmp_path / "old.dwg"
    p.write_bytes(magic + b"\x00" * 200)
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and f"AutoCAD {version}" in line and "older than R13" in line


def test_dwg_of_an_unknown_version_is_refused_in_one_line(tmp_path, cli):
    p = tmp_path / "new.dwg"
    p.write_bytes(b"AC1040" + b"\x00" * 200)
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "unknown DWG version (AC1040)" in line


def test_empty_file(tmp_path, cli):
    p = tmp_path / "empty.dxf"
    p.write_bytes(b"")
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "empty" in line


def test_text_that_is_not_dxf(tmp_path, cli):
    p = tmp_path / "notes.dxf"
    p.write_text("这不是图纸，是一份说明。\nhello\n", encoding="utf-8")
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "not a DXF file" in line


def test_random_binary(tmp_path, cli):
    p = tmp_path / "noise.dxf"
    p.write_bytes(bytes((i * 97 + 13) % 256 for i in range(5000)))
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "not a DXF" in line


def test_missing_file_and_folder(tmp_path, cli):
    line = one_line(cli("check", tmp_path / "nope.dxf", "--lang", "en"))
    assert "nope.dxf" in line and "not found" in line
    line = one_line(cli("check", tmp_path, "--lang", "en"))
    assert "folder" in line and "batch" in line


def test_damaged_dxf_is_recovered_and_said(tmp_path, cli):
    src = (PLANS / "station-tier2-ok.dxf").read_text(encoding="utf-8")
    p = tmp_path / "damaged.dxf"
    p.write_text(src.replace("EOF", ""), encoding="utf-8")  # no end-of-file marker
    with pytest.raises(Exception):
        ezdxf.readfile(p)  # the plain reader gives up …
    run = cli("check", p, "--population", "30000", "--format", "json")
    assert run.code == 0, run.err  # … the recover path reads it
    rec = run.result("drawing.recovered")
    assert rec["status"] == "warn" and "AUDIT" in rec["message"]
    assert run.json["metrics"]["gross_area_m2"] == pytest.approx(126.0, rel=0.005)


def test_damaged_beyond_recovery(tmp_path, cli):
    p = tmp_path / "broken.dxf"
    p.write_text("  0\nSECTION\n  2\nENTITIES\n" + "lorem ipsum\n" * 40, encoding="utf-8")
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "damaged" in line and "RECOVER" in line


def test_truncated_dxf(tmp_path, cli):
    data = (PLANS / "station-tier2-ok.dxf").read_bytes()
    p = tmp_path / "truncated.dxf"
    p.write_bytes(data[: len(data) // 3])
    run = cli("check", p, "--lang", "en")
    # whatever survives of a truncated file: a report, or one clear line
    assert run.code in (0, 1, 2) and "Traceback" not in run.err
    if run.code == 2:
        one_line(run)


def _with_entities(tmp_path, name: str, extra: str) -> str:
    doc = ezdxf.new("R2010")
    doc.modelspace().add_text("服务大厅", dxfattribs={"layer": "PUB_TEXT"})
    p = tmp_path / name
    doc.saveas(p)
    s = p.read_text(encoding="utf-8")
    i = s.index("ENTITIES")
    j = s.index("  0\nENDSEC", i)
    p.write_text(s[:j] + extra + s[j:], encoding="utf-8")
    return p


TARCH_OBJECTS = (
    "".join(f"  0\nTCH_WALL\n  5\n{h}\n330\n1F\n100\nAcDbEntity\n  8\nWALL\n" for h in ("AAA1", "AAA2"))
    + "  0\nACAD_PROXY_ENTITY\n  5\nAAA3\n330\n1F\n100\nAcDbEntity\n  8\nWALL\n100\nAcDbProxyEntity\n"
    " 90\n498\n 91\n500\n 70\n0\n"
)


def test_drawing_of_only_tarch_objects(tmp_path, cli):
    p = _with_entities(tmp_path, "tarch.dxf", TARCH_OBJECTS)
    line = one_line(cli("check", p))
    assert str(p) in line and "3 个" in line and "图形导出" in line and "T3" in line


def test_tarch_objects_beside_real_geometry_are_reported(tmp_path, cli):
    p = tmp_path / "mixed.dxf"
    src = (PLANS / "station-tier2-ok.dxf").read_text(encoding="utf-8")
    i = src.index("ENTITIES")
    j = src.index("  0\nENDSEC", i)
    p.write_text(src[:j] + TARCH_OBJECTS + src[j:], encoding="utf-8")
    run = cli("check", p, "--population", "30000", "--format", "json")
    assert run.code == 0
    proxy = run.result("drawing.proxy-entities")
    assert proxy["status"] == "warn" and "3" in proxy["message"]


def test_drawing_with_nothing_recognisable(tmp_path, cli):
    doc = ezdxf.new()
    doc.modelspace().add_circle((0, 0), 5, dxfattribs={"layer": "LOGO"})
    p = tmp_path / "logo.dxf"
    doc.saveas(p)
    line = one_line(cli("check", p, "--lang", "en"))
    assert str(p) in line and "no rooms, walls" in line and "--layers" in line


def test_unknown_standard_and_bad_options(tmp_path, cli):
    plan = PLANS / "station-tier2-ok.dxf"
    line = one_line(cli("check", plan, "--standard", "kaifeng-2041", "--lang", "en"))
    assert "kaifeng-2041" in line and "kaifeng-2014" in line
    run = cli("check", plan, "--kind", "village")
    assert run.code == 2 and "village" in run.err and "Traceback" not in run.err
    run = cli("check", plan, "--population", "many")
    assert run.code == 2 and "Traceback" not in run.err


def test_bad_layer_mapping_file(tmp_path, cli):
    m = tmp_path / "layers.toml"
    m.write_text('[layers]\nwal = ["QT*"]\n', encoding="utf-8")
    line = one_line(cli("check", PLANS / "station-tier2-ok.dxf", "--layers", m, "--lang", "en"))
    assert str(m) in line and "wal" in line and "wall" in line


def test_installed_console_script_gives_one_line(tmp_path):
    """The real entry point, in a subprocess: exit status and stderr as a shell sees them."""
    import subprocess
    import sys

    exe = shutil.which("layoutcheck") or None
    cmd = [exe] if exe else [sys.executable, "-m", "layoutcheck"]
    p = tmp_path / "x.dwg"
    p.write_bytes(b"AC1018" + b"\0" * 100)
    proc = subprocess.run([*cmd, "check", str(p)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == "" and len(proc.stderr.strip().splitlines()) == 1 and "DWG" in proc.stderr


def test_a_dxf_cut_off_in_copying_says_so(tmp_path):
    """A DXF cut off mid-file used to read as "no rooms, walls or other recognised entities" (ezdxf reads what
    is there): the user was sent to fix layer names instead of exporting again."""
    import subprocess
    import sys

    from .conftest import PLANS

    whole = (PLANS / "station-tier2-ok.dxf").read_bytes()
    cut = tmp_path / "cut.dxf"
    cut.write_bytes(whole[: len(whole) // 2])
    run = subprocess.run([sys.executable, "-m", "layoutcheck", "check", str(cut), "--lang", "en"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(cut) in lines[0] and "end marker (EOF)" in lines[0], run.stderr
