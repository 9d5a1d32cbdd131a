"""The drawing conventions (layoutcheck/conventions.py) as small pure functions, each with hand-made examples
of what Chinese drawings write."""

from __future__ import annotations

import pytest

from layoutcheck import conventions as C
from layoutcheck.ingest.layers import LayerMap
from layoutcheck.samples import LAYERS


@pytest.mark.parametrize("layer, role", [
    ("使用面积线", "room"), ("套内面积", "room"), ("房间面积", "room"), ("面积线", "room"),
    ("建筑面积线", "outline"), ("建筑面积", "outline"), ("占地面积", "ignore"),
    ("IHY-room name-总-房间名称", "text"), ("墙线", "wall"), ("柱子", "column"), ("门线", "door"),
    ("窗线", "window"), ("轴号", "ignore"), ("C-SHET-TTLB", "ignore"), ("PUB_TAB", "ignore"),
])
def test_chinese_layer_names_have_their_role(layer, role):
    assert LayerMap().role(layer) == role


@pytest.mark.parametrize("convention", sorted(LAYERS))
def test_the_template_layers_are_read_as_what_they_hold(convention):
    """``layoutcheck template`` and the samples draw on these layers: the reader must agree."""
    lm = LayerMap()
    for role, layer in LAYERS[convention].items():
        expected = {"axis": "ignore"}.get(role, role)
        assert lm.role(layer) == expected, (convention, layer)


def test_a_multi_line_label_with_field_names():
    text = "房间编号：101，103\n房间名称：计算机基础实验室1\n房间属性：业务用房\n使用面积：315.69㎡\n建筑面积：335.6㎡\n使用人员："
    f = C.label_fields(text)
    assert (f.name, f.number, f.use, f.usable_m2, f.gross_m2) == ("计算机基础实验室1", "101，103", "业务用房", 315.69, 335.6)


def test_a_project_name_is_no_room_name():
    """名称 inside 工程名称 / 项目名称 is no field of a room label."""
    assert C.label_fields("工程名称：某街道办公楼").name == ""
    assert C.label_fields("项目名称：某社区服务站 建筑面积：120㎡").name == ""


def test_a_label_on_one_line_and_one_without_a_name():
    f = C.label_fields("名称：楼梯间 面积：29.93m2")
    assert (f.name, f.usable_m2) == ("楼梯间", 29.93)
    assert C.label_fields("管理人员：某某").name == ""  # fields, but no name: never a name
    assert C.label_fields("服务大厅") is None  # a plain name
    assert C.label_fields("团委，学生工作办公室") is None
    assert C.label_fields("房间名称：副院长\n办公室\n使用面积：29.48㎡").name == "副院长办公室"  # wrapped, one name


@pytest.mark.parametrize("text, why", [
    ("±0.000", "level"), ("-0.300", "level"), ("4.200", "level"), ("A", "axis"), ("12", "axis"),
    ("1/A", "axis"), ("M1021", "opening"), ("C1515", "opening"), ("FM甲1021", "opening"), ("MLC2427", "opening"),
    ("1:100", "scale"), ("101", "number"), ("上", "stair"), ("注：设备布置以电气专业图纸为准。", "note"),
    ("一层平面图", "title"), ("（经济管理学院）", "aside"), ("(学校)", "aside"),
])
def test_text_that_is_never_a_room_name(text, why):
    assert C.not_a_name(text) == why


@pytest.mark.parametrize("text", ["服务大厅", "档案室", "配电房", "WC", "LIVING ROOM + DINING", "核心机房1"])
def test_room_names_are_names(text):
    assert C.not_a_name(text) is None


@pytest.mark.parametrize("title, kind, storey", [
    ("一层平面图", "plan", 1), ("二层平面图", "plan", 2), ("地下一层平面图", "plan", -1), ("首层平面图", "plan", 1),
    ("十二层平面图", "plan", 12), ("新区综合教学楼B五层平面图", "plan", 5), ("屋顶平面图", "roof", None),
    ("1~3立面图", "elevation", None), ("①-④立面图", "elevation", None), ("1-1剖面图", "section", None),
    ("楼梯详图", "detail", None), ("总平面图", "site", None), ("门窗表", "schedule", None), ("图纸目录", "index", None),
    ("建筑设计说明", "notes", None), ("一层顶棚平面图", "specialty", None), ("二层照明平面图", "specialty", None),
    ("一层给排水平面图", "specialty", None), ("一层平面布置图", "layout", None),
])
def test_view_titles(title, kind, storey):
    assert C.view_title(title) == kind
    assert (C.storey_of_title(title) if kind == "plan" else None) == storey
    if kind in ("specialty", "layout"):  # another drawing of a storey still names it
        assert C.storey_of_title(title) in (1, 2)


@pytest.mark.parametrize("text", ["颜色及分格方式见立面图", "本层建筑面积：113.05m2", "服务大厅"])
def test_notes_and_names_are_not_titles(text):
    assert C.view_title(text) is None


@pytest.mark.parametrize("text, claim", [
    ("本层建筑面积：113.05m2", ("storey", 113.05)), ("建筑面积：4223.16㎡", ("any", 4223.16)),
    ("建筑物为一层框架结构，建筑面积为113.05m，配电房建筑高度为5.000米。", ("any", 113.05)),
    ("总建筑面积 1250 平方米", ("total", 1250.0)), ("占地面积：4236.43㎡", None),
    ("本层建筑面积：1,240.00m2", ("storey", 1240.0)), ("建筑面积" + " " * 60000, None),
])
def test_stated_gross_areas(text, claim):
    assert C.stated_gross(text) == claim


def test_the_conventions_command_prints_what_the_reader_knows(cli):
    out = cli("conventions").out
    for word in ("使用面积", "建筑面积", "房间名称", "DORLIB", "HEIGHT", "平面图", "specialty"):
        assert word in out, word


def test_appliances_named_with_men_are_not_doors():
    """冰箱_对开门 (a double-door fridge, dwg-corpus sn_kitchen) was read as an entrance door 802 mm clear."""
    from layoutcheck.conventions import DOOR_BLOCK

    for name in ("M1021", "FM甲1021", "$DorLib2D$00000001", "单扇平开门", "A-DOOR"):
        assert DOOR_BLOCK.search(name), name
    for name in ("冰箱_对开门_1000", "柜门", "门禁", "REFRIGERATOR_DOOR"):
        assert not DOOR_BLOCK.search(name), name
