"""Messages in Chinese (default) and English.

Every user-facing sentence has a key; rule modules register their own messages next to the
rule so a rule and its wording are read together. ``message(key, lang, **args)`` formats one.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = ("zh", "en")

_CATALOG: dict[str, dict[str, str]] = {}


def register(messages: dict[str, dict[str, str]]) -> None:
    for key, texts in messages.items():
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"message {key!r} lacks {missing}")
        _CATALOG[key] = texts


def default_lang() -> str:
    lang = os.environ.get("LAYOUTCHECK_LANG", "zh")
    return lang if lang in LANGS else "zh"


def template(key: str, lang: str = "zh") -> str | None:
    """A message's text before formatting (for a library that formats it itself, such as click)."""
    texts = _CATALOG.get(key)
    return None if texts is None else texts.get(lang, texts["zh"])


def message(key: str, lang: str = "zh", /, **args: Any) -> str:
    texts = _CATALOG.get(key)
    if texts is None:
        return key + (" " + repr(args) if args else "")
    try:
        return texts.get(lang, texts["zh"]).format(**args)
    except (KeyError, IndexError, ValueError):
        return texts.get(lang, texts["zh"]) + " " + repr(args)


register(
    {
        # --- reading a drawing --------------------------------------------------------------
        "error.not-found": {
            "zh": "文件不存在，请检查路径",
            "en": "file not found; check the path",
        },
        "error.is-directory": {
            "zh": "这是一个文件夹；检查单个图纸请给出 .dxf 或 .dwg 文件，批量检查请用 layoutcheck batch",
            "en": "this is a folder; give a .dxf or .dwg file, or use `layoutcheck batch` for many plans",
        },
        "error.unreadable": {
            "zh": "无法读取文件（{reason}），请检查文件权限",
            "en": "cannot read the file ({reason}); check its permissions",
        },
        "error.empty": {
            "zh": "文件为空，请重新导出 DXF（AutoCAD：另存为 DXF；天正：图形导出）",
            "en": "the file is empty; export the DXF again (AutoCAD: SAVEAS → DXF; TArch: 图形导出)",
        },
        "error.dwg-too-old": {
            "zh": "这是 AutoCAD {version} 的 DWG，版本太旧（R13 以前）无法读取；请在 CAD 中打开后另存为 AutoCAD 2004 或更新版本的 DWG（或另存为 DXF）再检查",
            "en": "this DWG is from AutoCAD {version}, older than R13, and cannot be read; open it in CAD and save it "
            "as AutoCAD 2004 or later (or as DXF), then check again",
        },
        "error.dwg-version": {
            "zh": "无法识别的 DWG 版本（{version}），本工具读取 R13 至 AutoCAD 2018 的 DWG；请在 CAD 中另存为 AutoCAD 2018 或更早版本的 DWG（或另存为 DXF）再检查",
            "en": "unknown DWG version ({version}); layoutcheck reads DWG from R13 to AutoCAD 2018: save it as "
            "AutoCAD 2018 or earlier (or as DXF) in CAD and check again",
        },
        "error.dwg-damaged": {
            "zh": "DWG 文件无法读取（{reason}）；请在 CAD 中打开后执行 RECOVER，另存为 DWG 或 DXF 再检查",
            "en": "the DWG file cannot be read ({reason}); open it in CAD, run RECOVER and save it as DWG or DXF, "
            "then check again",
        },
        "error.dwg-memory": {
            "zh": "读取 DWG 超出内存上限（{limit} MB），已停止；请只保留平面图后另存再检查，或用环境变量 LAYOUTCHECK_DWG_MEMORY_MB 放宽上限",
            "en": "reading the DWG needed more than the memory cap ({limit} MB) and was stopped; keep only the floor "
            "plan and save it again, or raise the cap with LAYOUTCHECK_DWG_MEMORY_MB",
        },
        "error.dwg-tarch": {
            "zh": "这是天正原生 DWG：墙体、门窗是天正自定义对象（{count} 个 TCH_* / AEC_*），本工具读不出其几何；请在天正中用“图形导出”导出为 T3 格式，或另存为 AutoCAD 格式（分解天正对象）后再检查",
            "en": "this is a native TArch DWG: its walls and openings are TArch objects ({count} TCH_* / AEC_*) "
            "whose geometry cannot be read; export it to T3 with TArch's 图形导出, or save it as AutoCAD "
            "(exploding the TArch objects), then check again",
        },
        "error.not-dxf": {
            "zh": "不是 DXF 文件（开头是 {head!r}），请在 CAD 中另存为 DXF 后再检查",
            "en": "not a DXF file (it starts with {head!r}); save the drawing as DXF in CAD and check again",
        },
        "error.damaged": {
            "zh": "DXF 文件已损坏，修复也未能读出（{reason}）；请在 CAD 中打开后执行 AUDIT/RECOVER 并重新另存为 DXF",
            "en": "the DXF file is damaged beyond recovery ({reason}); open it in CAD, run AUDIT/RECOVER "
            "and save it as DXF again",
        },
        "error.no-geometry": {
            "zh": "图纸中找不到房间、墙体或可识别的图元（图层：{layers}）；请检查图层命名，或用 --layers 提供图层映射文件",
            "en": "no rooms, walls or other recognised entities in the drawing (layers: {layers}); "
            "check the layer names or give a layer mapping file with --layers",
        },
        "error.no-plan-views": {
            "zh": "图纸中没有带标题的平面图视图（如“一层平面图 1:100”），无法按 --view {view} 选择；去掉 --view 即检查整张图",
            "en": "the drawing has no titled floor-plan view (such as “一层平面图 1:100”) to pick with --view {view}; "
            "leave out --view to check the whole drawing",
        },
        "error.no-such-view": {
            "zh": "图纸中没有标题含“{view}”的平面图视图（平面图视图：{views}）；请用 --view 给出视图标题的一部分，如 一层",
            "en": "no floor-plan view titled like “{view}” in the drawing (plan views: {views}); give part of a "
            "view's title with --view, such as 一层",
        },
        "error.proxy-only": {
            "zh": "图纸只含天正自定义对象（{count} 个 ACAD_PROXY_ENTITY / TCH_*），没有可用几何：请在天正中用“图形导出”(TSAVEAS) 导出为 T3 格式，或先分解(EXPLODE)后另存为 DXF",
            "en": "the drawing holds only TArch custom objects ({count} ACAD_PROXY_ENTITY / TCH_*) with no "
            "usable geometry: export it to T3 with TArch's 图形导出 (TSAVEAS), or EXPLODE it, and save as DXF again",
        },
        "error.exists": {
            "zh": "文件已存在；换一个文件名，或加 --force 覆盖",
            "en": "the file exists; choose another name or add --force to overwrite it",
        },
        "error.too-many-entities": {
            "zh": "图纸图元超过 {limit:,} 个，超出检查上限；请只保留平面图（删除总图、大样、外部参照）后另存再检查",
            "en": "the drawing holds more than {limit:,} entities; keep only the floor plan (remove site plans, "
            "details, xrefs), save it and check again",
        },
        "error.timeout": {
            "zh": "检查超过 {seconds:g} 秒仍未完成，已停止；请只保留平面图后再检查，或用 --timeout（环境变量 LAYOUTCHECK_TIMEOUT）"
                  "放宽时限",
            "en": "the check took longer than {seconds:g} s and was stopped; keep only the floor plan, or "
            "raise the limit with --timeout (LAYOUTCHECK_TIMEOUT)",
        },
        "error.bad-units": {
            "zh": "无法识别的单位 {units!r}；可选：{allowed}",
            "en": "unknown unit {units!r}; choose one of: {allowed}",
        },
        "error.mapping": {
            "zh": "图层映射文件有误：{problem}",
            "en": "layer mapping file is wrong: {problem}",
        },
        "error.internal": {
            "zh": "内部错误（{reason}）；这是 layoutcheck 的缺陷，请附上图纸提交问题报告",
            "en": "internal error ({reason}); this is a bug in layoutcheck, please report it with the drawing",
        },
        # --- standards ----------------------------------------------------------------------------
        "error.standard-unknown": {
            "zh": "找不到标准 {id!r}{hint}；可用的标准：{allowed}（也可以给出 .toml 文件路径）",
            "en": "no standard {id!r}{hint_en}; available: {allowed} (or give the path of a .toml file)",
        },
        "error.standard-syntax": {
            "zh": "标准文件 TOML 语法错误：{reason}",
            "en": "the standard file is not valid TOML: {reason}",
        },
        "error.standard-schema": {
            "zh": "标准文件有误：{key}：{problem}",
            "en": "the standard file is wrong at {key}: {problem}",
        },
        "error.project-syntax": {
            "zh": "项目文件 TOML 语法错误：{reason}",
            "en": "the project file is not valid TOML: {reason}",
        },
        "error.project-schema": {
            "zh": "项目文件有误：{key}：{problem}",
            "en": "the project file is wrong at {key}: {problem}",
        },
        "hint.did-you-mean": {"zh": "（是否想写 {word}？）", "en": " (did you mean {word}?)"},
        "error.rule-unknown": {
            "zh": "没有规则 {id!r}；可用的规则：{allowed}",
            "en": "no rule {id!r}; available: {allowed}",
        },
        "error.kind": {
            "zh": "标准 {standard} 不适用于 {kind}；可选：{allowed}",
            "en": "standard {standard} has no rules for kind {kind}; choose one of: {allowed}",
        },
        # --- drawing findings (drawing.*) -------------------------------------------------------
        "drawing.counter-front-inferred": {
            "zh": "柜台 {counters} 没有 SIDE 属性，群众一侧按图面推断（{cues}）；请给柜台图块加属性 SIDE=FRONT（图块局部 −Y 一侧面向群众）",
            "en": "counters {counters} carry no SIDE attribute; their public side was inferred ({cues_en}); give each "
                  "counter block SIDE=FRONT (its local −Y side faces the public)"},
        "drawing.counter-long": {
            "zh": "柜台 {counter}（图块“{block}”）长 {length:.2f} m，超过 {limit:.0f} m 且其中没有柜台图块：可能是一排窗口画成了一个柜台",
            "en": "counter {counter} (block “{block}”) is {length:.2f} m long, over {limit:.0f} m, with no counter "
                  "blocks inside: perhaps a row of windows drawn as one counter"},
        "drawing.units-guessed": {
            "zh": "图纸未声明单位（$INSUNITS={insunits}），按图形尺寸推断为 {units}；如不正确请用 --units 指定",
            "en": "the drawing declares no units ($INSUNITS={insunits}); guessed {units} from its size; "
            "use --units if that is wrong",
        },
        "drawing.units-suspect": {
            "zh": "按声明单位 {units} 计算，图形总尺寸为 {span_m:.1f} m，不像一层平面；请核对单位，必要时用 --units 指定",
            "en": "in the declared unit {units} the drawing spans {span_m:.1f} m, unlike a floor plan; "
            "check the units and use --units if needed",
        },
        "drawing.encoding-guessed": {
            "zh": "图纸声明的文字编码（{declared}）读出乱码，已改用 {used} 读取；如仍不正确请用 --encoding 指定",
            "en": "the drawing's declared code page ({declared}) gives garbled text; read it as {used} instead "
            "(use --encoding if that is wrong)",
        },
        "drawing.bad-numbers": {
            "zh": "{count} 个图元的坐标、比例或其他数值无效（NaN、无穷大或大得离谱，或图块比例为 0），已跳过；请在 CAD 中执行 AUDIT 并检查这些图元",
            "en": "{count} entities with unusable numbers (NaN, infinity, absurdly large values, or a block "
            "inserted at scale 0) were skipped; run AUDIT in CAD and check them",
        },
        "drawing.nesting-limit": {
            "zh": "{count} 个图块嵌套超过 {depth} 层（或图块引用自身），已跳过；请在 CAD 中分解(EXPLODE)这些图块",
            "en": "{count} block references nested deeper than {depth} levels (or inserting themselves) were "
            "skipped; EXPLODE them in CAD",
        },
        "drawing.vertex-limit": {
            "zh": "图层 {layer} 上的 {type} 有 {count} 个顶点，按 {tolerance_mm} mm 简化后仍多于可读取的 {limit} 个"
            "（如密集锯齿线），已跳过、未参与检查；请在 CAD 中用较少的顶点重画",
            "en": "a {type} on layer {layer} has {count} vertices, more than the {limit} read even when simplified "
            "to {tolerance_mm} mm (a dense zig-zag, say): it was left out of the check; redraw it with fewer "
            "vertices",
        },
        "drawing.simplified": {
            "zh": "图层 {layer} 上的 {type} 有 {count} 个顶点（多于 {limit} 个），已按 {tolerance_mm} mm 的容差简化为 {kept} 个后检查",
            "en": "a {type} on layer {layer} has {count} vertices (more than {limit}); it was checked simplified "
            "to {kept} vertices, within {tolerance_mm} mm",
        },
        "drawing.dwg-block-names": {
            "zh": "DWG 的图块表有 {count} 处损坏（图块名含控制字符，或插入了图块表中没有的图块，如 {examples}），这些图块已跳过；请在 CAD 中执行 AUDIT 后重新保存",
            "en": "{count} damaged block table entries in the DWG (block names with control characters, or inserts "
            "of blocks the table does not define, e.g. {examples}) were skipped; run AUDIT in CAD and save again",
        },
        "drawing.dwg-unread": {
            "zh": "DWG 中有 {count} 个图元无法解码（类型：{types}），已跳过；如结果缺少内容，请在 CAD 中另存为 DXF 后再检查",
            "en": "{count} entities of the DWG could not be decoded (types: {types}) and were skipped; if the result "
            "misses something, save the drawing as DXF in CAD and check that",
        },
        "drawing.recovered": {
            "zh": "DXF 文件有结构错误，已按修复模式读取（修复 {fixes} 处）；建议在 CAD 中 AUDIT 后重新保存",
            "en": "the DXF had structural errors and was read in recover mode ({fixes} fixes); "
            "run AUDIT in CAD and save it again",
        },
        "drawing.proxy-entities": {
            "zh": "图纸含 {count} 个天正自定义对象（ACAD_PROXY_ENTITY / TCH_*），未参与检查；请用天正“图形导出”导出为 T3 或分解后再检查",
            "en": "{count} TArch custom objects (ACAD_PROXY_ENTITY / TCH_*) were skipped; export to T3 "
            "(图形导出) or EXPLODE them and check again",
        },
        "drawing.invalid-polygon": {
            "zh": "房间轮廓自相交（图层 {layer}），已自动修复后计算面积；请在 CAD 中修正该多段线",
            "en": "a room outline crosses itself (layer {layer}); it was repaired before measuring; "
            "fix the polyline in CAD",
        },
        "drawing.unlabeled-room": {
            "zh": "房间未标注名称（{area_m2:.2f} m²），无法判断用途；请在房间内加注房间名称",
            "en": "a room has no name label ({area_m2:.2f} m²), so its use is unknown; put its name inside it",
        },
        "drawing.unknown-room-type": {
            "zh": "房间“{name}”的用途无法识别，按“其他”计；可在图层映射文件 [room_types] 中补充同义词",
            "en": "room “{name}” has a use layoutcheck does not know; counted as other. Add the synonym "
            "under [room_types] in a mapping file",
        },
        "drawing.area-mismatch": {
            "zh": "房间“{name}”标注面积 {annotated:.2f} m²，实测 {measured:.2f} m²，相差 {diff_pct:.1f}%",
            "en": "room “{name}” is annotated {annotated:.2f} m² but measures {measured:.2f} m² ({diff_pct:.1f}% apart)",
        },
        "drawing.no-walls": {
            "zh": "图纸中没有墙体图层，建筑面积按房间轮廓计算（偏小）；请确认墙体在 WALL / A-WALL 图层",
            "en": "no walls found; gross area is taken from the room outlines (an underestimate); "
            "put walls on WALL / A-WALL",
        },
        "drawing.no-rooms": {
            "zh": "图纸中没有房间轮廓（SPACE / A-AREA 图层上的闭合多段线或填充）；面积规则无法检查",
            "en": "no room outlines (closed polylines or hatches on SPACE / A-AREA); area rules cannot be checked",
        },
        "drawing.no-room-outlines": {
            "zh": "图纸没有房间轮廓，已由墙体（门窗处封闭）围合推算出 {count} 个房间；请核对，或在 SPACE / A-AREA 图层画出房间轮廓",
            "en": "the drawing has no room outlines; {count} rooms were taken from the spaces the walls enclose "
            "(doors and windows closed); check them, or draw room outlines on SPACE / A-AREA",
        },
        "drawing.stated-gross-mismatch": {
            "zh": "图中注明的{what}建筑面积为 {stated_m2:.2f} m²，实测 {measured_m2:.2f} m²，相差 {diff_pct:+.1f}%（超过 3%）；"
                  "请核对注明的面积或外墙轮廓",
            "en": "the drawing states a gross area of {stated_m2:.2f} m² for {what_en}; measured {measured_m2:.2f} m² "
                  "({diff_pct:+.1f}%, beyond 3%): check the stated figure or the outer walls",
        },
        "drawing.single-line": {
            "zh": "图纸为单线示意图（没有墙体、门窗图层），房间按线条围合的范围计算（按单线量取，含半墙厚，偏大）；请核对",
            "en": "the drawing is a single-line schematic (no wall, door or window layers): the rooms were measured "
                  "on the lines that enclose them (half a wall too large); check them",
        },
        "drawing.repeated-plan": {
            "zh": "同一平面在图中画了两次（各约 {area_m2:.2f} m²，如建筑图与电气图），建筑面积 {total_m2:.2f} m² 把两份都计入了；"
                  "请只保留一份，或给各视图加上图名（如 一层平面图 1:100）",
            "en": "the same plan is drawn twice (about {area_m2:.2f} m² each, e.g. an architectural and an electrical "
                  "plan); the gross area of {total_m2:.2f} m² counts both: keep one, or title each view (一层平面图 1:100)",
        },
        "drawing.same-storey-views": {
            "zh": "“{left}”与“{kept}”是同一层的平面图，只检查了“{kept}”（建筑面积不重复计算）；如需检查另一张请用 --view",
            "en": "“{left}” is a plan of the same storey as “{kept}”: only “{kept}” was checked (the gross area is "
                  "not counted twice); use --view to check the other",
        },
        "drawing.drawing-set": {
            "zh": "图纸为一套图（{n} 个视图：平面、立面、剖面等）；只检查平面图视图：{checked}",
            "en": "the drawing is a drawing set ({n} views: plans, elevations, sections …); only the floor-plan "
                  "views were checked: {checked}",
        },
        "drawing.no-plan-view": {
            "zh": "图纸为一套图，但没有找到平面图视图（视图：{views}）；已按整张图读取，结果可能包含立面、剖面",
            "en": "the drawing is a drawing set but no floor-plan view was found (views: {views}); it was read "
                  "whole, so elevations and sections may be counted",
        },
        "drawing.outline-mismatch": {
            "zh": "图中画出的建筑面积轮廓（{drawn_m2:.2f} m²）与墙体范围（{walls_m2:.2f} m²）有 {off_m2:.2f} m² 不重合；"
                  "建筑面积按画出的轮廓计，请确认它沿外墙外皮绘制",
            "en": "the drawn gross-area outline ({drawn_m2:.2f} m²) and the walls ({walls_m2:.2f} m²) differ by "
                  "{off_m2:.2f} m²; the gross area follows the drawn outline: check it runs along the outer "
                  "wall faces",
        },
        "drawing.label-outside": {
            "zh": "房间名称“{name}”不在任何房间轮廓内；请把文字移入房间，或补画该房间的轮廓",
            "en": "the room name “{name}” lies in no room outline; move it into its room or draw the room",
        },
        "drawing.open-room-outline": {
            "zh": "房间图层 {layer} 上有未闭合的多段线（缺口 {gap_m:.2f} m），未计入房间；请闭合它",
            "en": "an open polyline on room layer {layer} (gap {gap_m:.2f} m) was not counted as a room; close it",
        },
        "drawing.overlapping-rooms": {
            "zh": "房间“{a}”与“{b}”重叠 {area_m2:.2f} m²，使用面积会重复计算；请修正轮廓",
            "en": "rooms “{a}” and “{b}” overlap by {area_m2:.2f} m², counted twice in usable area; fix the outlines",
        },
        "note.markup-dxf": {
            "zh": "标注副本已存为 DXF（本工具不写 DWG；副本只含 layoutcheck 读到的图元）：{paths}",
            "en": "the marked-up copy is a DXF (layoutcheck does not write DWG; it holds the entities layoutcheck "
            "read): {paths}",
        },
        # --- report words -----------------------------------------------------------------------
        "places": {"zh": "（共 {n} 处）", "en": " ({n} places)"},
        "status.pass": {"zh": "通过", "en": "pass"},
        "status.fail": {"zh": "不通过", "en": "fail"},
        "status.warn": {"zh": "警告", "en": "warn"},
        "status.n/a": {"zh": "无法判断", "en": "n/a"},
        "verdict.pass": {"zh": "合格", "en": "PASS"},
        "verdict.fail": {"zh": "不合格", "en": "FAIL"},
    }
)
