"""Every drawing convention layoutcheck knows, in one place: layer names, block names, attribute tags,
and the grammar of the text Chinese drawings write (room labels, view titles, stated areas).

The reader (:mod:`layoutcheck.ingest`), the classifier, ``layoutcheck template`` and the README's
"绘图约定" tables all take their patterns from here, so that a convention learnt from one real drawing
is known everywhere at once. Patterns are matched against upper-cased, NFKC-normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- layers -----------------------------------------------------------------------------------------
ROLES = ("wall", "column", "door", "window", "room", "zone", "outline", "counter",
         "furniture", "stair", "text", "ignore", "ramp", "platform")

# Exact layer names (fnmatch globs) of the conventions the tool knows by name.
LAYER_CONVENTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "tarch": {  # 天正建筑 (T3 export)
        "wall": ("WALL", "WALL-MOVE", "WALL_HATCH"), "column": ("COLUMN", "COLUMN_HATCH"),
        "window": ("WINDOW", "WINDOW_TEXT"), "door": ("DOOR_FIRE", "DOOR"),
        "stair": ("STAIR",), "room": ("SPACE",), "text": ("PUB_TEXT",),
        "ignore": ("AXIS", "AXIS_TEXT", "PUB_DIM", "DOTE", "DIM_ELEV", "DIM_SYMB", "DIM_IDEN", "DIM_LEAD",
                   "PUB_TAB", "PUB_HATCH"),
        "furniture": ("PUB_FURN",),
    },
    "aia": {  # AIA CAD Layer Guidelines / US NCS
        "counter": ("A-FURN-CNTR*", "A-EQPM-CNTR*"),
        "wall": ("A-WALL*",), "column": ("A-COLS*", "S-COLS*"), "door": ("A-DOOR*",),
        "window": ("A-GLAZ*",), "room": ("A-AREA", "A-AREA-BNDY", "A-AREA-OTLN"),
        "outline": ("A-AREA-GROS*",), "zone": ("A-AREA-ZONE*",),
        "text": ("A-AREA-IDEN*", "A-ANNO-*"), "furniture": ("A-FURN*", "A-EQPM*", "I-FURN*"),
        "stair": ("A-FLOR-STRS*",), "ignore": ("A-ANNO-DIMS*", "A-GRID*", "S-GRID*"),
    },
}

# Keywords for every other office standard, tried in this order (first match wins). Area lines come
# first: 建筑面积线 (gross) before 使用面积线 / 套内面积 / 房间面积 / 面积线 (usable → room outlines), and a
# layer for room *names* (T3's "IHY-room name-总-房间名称") is text, not outlines.
LAYER_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("ignore", r"DIM|AXIS|GRID|DEFPOINTS|NOTE|TITLE|FRAME|TTLB|SHET|轴|尺寸|标注|说明|图框|标题|占地面积|标高"),
    ("outline", r"GROSS|OUTLINE|OUTER|建筑面积|外轮廓"),
    ("room", r"使用面积|套内面积|房间面积|面积线|净面积"),
    ("text", r"房间名称|ROOM[ _-]?NAME|RM[ _-]?NAME|房间编号|名称"),
    ("zone", r"ZONE|功能区|分区"),
    ("counter", r"COUNTER|柜台|服务台"),
    ("ramp", r"RAMP|坡道"),
    ("platform", r"PLATFORM|入口平台|门前平台"),
    ("furniture", r"FURN|家具|座椅|SEAT"),
    ("door", r"DOOR|门"),
    ("window", r"WINDOW|GLAZ|窗"),
    ("column", r"COLUMN|COLS|柱"),
    ("stair", r"STAIR|楼梯|ELEVATOR|LIFT|电梯"),
    ("room", r"SPACE|ROOM|房间|空间|^AREA$|AREA-BNDY"),
    ("wall", r"WALL|墙|^MUR"),
    ("text", r"TEXT|文字|IDEN"),
)

# --- blocks -----------------------------------------------------------------------------------------
# TArch's own door and window libraries ($DorLib2D$…, $WinLib2D$…, $TCHSYS$WIN2D…) sit on either layer:
# the name decides. Door and window codes: M1021 (门, 宽 1000 高 2100), FM甲1021, C1515, MC…
# Appliances and fittings that have 门 in their names (冰箱_对开门 is a double-door fridge, 柜门 a cabinet door,
# 门禁/门铃 access control and bells) are furniture, not doors.
NOT_A_DOOR = r"冰箱|FRIDGE|REFRIG|柜门|橱|门禁|门铃|门牌|门头"
DOOR_BLOCK = re.compile(rf"^(?!.*(?:{NOT_A_DOOR}))(?:\$?F?M[甲乙丙]?\d{{3,4}}|.*?(?:DORLIB|\$DOR|DOOR|门))",
                        re.IGNORECASE)
WINDOW_BLOCK = re.compile(r"^\$?[LT]?C\d{3,4}|WINLIB|WIN2D|WINDOW|GLAZ|窗", re.IGNORECASE)
TARCH_DOOR_BLOCK = re.compile(r"DORLIB|\$DOR", re.IGNORECASE)
TARCH_WINDOW_BLOCK = re.compile(r"WINLIB|WIN2D", re.IGNORECASE)
COUNTER_BLOCK = re.compile(r"COUNTER|柜台|服务台|窗口|综合服务台", re.IGNORECASE)
AUTO_DOOR_BLOCK = re.compile(r"AUTO|自动|感应", re.IGNORECASE)
FURNITURE_BLOCKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("seat", re.compile(r"CHAIR|SEAT|BENCH|SOFA|椅|凳|沙发", re.IGNORECASE)),
    ("board", re.compile(r"BOARD|NOTICE|公示栏|告示栏|信息栏|宣传栏|展板|栏", re.IGNORECASE)),
    ("display", re.compile(r"SCREEN|DISPLAY|LED|显示屏|电子屏|屏", re.IGNORECASE)),
    ("furniture", re.compile(r"DESK|TABLE|CABINET|SHELF|LOCKER|FURN|桌|柜|架|饮水|家具", re.IGNORECASE)),
)
# Drawing frames and title blocks (图框, 标题栏): never part of a plan.
FRAME_BLOCK = re.compile(r"图框|TUKUANG|TK\d|FRAME|TITLE|标题栏|图签", re.IGNORECASE)

# --- attributes -------------------------------------------------------------------------------------
HEIGHT_TAGS = ("HEIGHT", "H", "高度", "台面高度", "柜台高度", "HEIGHT_MM")

# --- room labels ------------------------------------------------------------------------------------
# Field names in a multi-line label: 房间编号：112 / 房间名称：库房1 / 房间属性：… / 使用面积：30.99㎡ / 建筑面积：…
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("房间名称", "名称", "房间名", "ROOM NAME", "NAME"),
    "number": ("房间编号", "房间号", "编号", "房号", "ROOM NO", "NO"),
    "use": ("房间属性", "房间用途", "用途", "属性", "功能"),
    "usable_m2": ("使用面积", "套内面积", "净面积", "室内面积", "面积", "AREA"),
    "gross_m2": ("建筑面积",),
    "ignored": ("使用人员", "管理人员", "使用单位", "使用部门", "负责人", "备注", "工程名称", "项目名称", "图纸名称",
                "图名", "建设单位", "设计单位"),
}
_FIELD_RX = re.compile(  # a key at the start of a line or after a separator: 名称 in 工程名称 is no field
    r"(?:^|(?<=[\s,，;；]))(?P<key>"
    + "|".join(sorted((re.escape(w) for ws in LABEL_FIELDS.values() for w in ws), key=len, reverse=True))
    + r")\s{0,3}[:：]", re.IGNORECASE)
_FIELD_OF = {unicodedata.normalize("NFKC", w).upper(): f for f, ws in LABEL_FIELDS.items() for w in ws}
_NUMBER_RX = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class LabelFields:
    """What a room label with field names says. Empty strings / None where it says nothing."""

    name: str = ""
    number: str = ""
    use: str = ""
    usable_m2: float | None = None
    gross_m2: float | None = None


def label_fields(text: str) -> LabelFields | None:
    """Read a label written with field names ("房间名称：库房1 使用面积：30.99㎡ …"), on one line or many;
    None when the text has no field names (a plain label such as "服务大厅"). Fields without a name
    (管理人员：…) give an empty name: such a text never names a room."""
    values: dict[str, str] = {}
    current: str | None = None  # the field a line without a key continues (房间名称：副院长⏎办公室)
    seen = False
    for line in text.splitlines():
        hits = list(_FIELD_RX.finditer(line))
        lead = line[:hits[0].start()] if hits else line
        if current is not None and lead.strip() and not lead.strip()[0].isdigit():  # "20㎡" continues nothing
            prev = values[current]
            cjk = prev[-1:] >= "\u3400" and lead.strip()[:1] >= "\u3400"
            values[current] = prev + ("" if cjk or not prev else " ") + lead.strip(" ,，;；")
        for i, m in enumerate(hits):
            seen = True
            stop = hits[i + 1].start() if i + 1 < len(hits) else len(line)
            field_name = _FIELD_OF.get(m.group("key").upper(), "")
            current = None
            if field_name and field_name not in values:  # values keep the drawing's own characters (，not ,)
                values[field_name] = line[m.end():stop].strip(" ,，;；")
                current = field_name
    if not seen:
        return None

    def area(key: str) -> float | None:
        m = _NUMBER_RX.search(values.get(key, ""))
        return float(m.group(1).replace(",", "")) if m else None

    return LabelFields(values.get("name", ""), values.get("number", ""), values.get("use", ""),
                       area("usable_m2"), area("gross_m2"))


# Text that is never a room name: level marks (±0.000, -0.300, 3.600), axis bubbles (A, 12, 1/A, 2-1),
# door and window codes (M1021, FM甲1021, C1515, MLC2427), scales (1:100), bare numbers and room numbers,
# dimension text, and note text (long, or starting with 注/说明).
NOT_A_NAME: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("level", re.compile(r"^[±+\-]?\d+\.\d{2,3}$|^%%P\d")),
    ("axis", re.compile(r"^(?:[A-Z]|A[A-Z]|\d{1,2}|[A-Z0-9]{1,2}/[A-Z0-9]{1,3}|[A-Z]\d?-\d|\d-[A-Z])$")),
    ("opening", re.compile(r"^(?:[A-Z]{0,3}M|[A-Z]{0,3}C|MC|MLC|FM[甲乙丙]?|JM|TLM)[甲乙丙]?\d{3,4}(?:[A-Z]|[-_]\w+)?$")),
    ("scale", re.compile(r"^1\s*[:：]\s*\d+$")),
    ("stair", re.compile(r"^(?:上|下|UP|DN|DOWN)$")),  # a stair's direction arrow
    ("number", re.compile(r"^(?=.*\d)[\d\s.,+\-×X*/~]+$")),
    ("note", re.compile(r"^(?:注|说明|备注|NOTE)\s*[:：]?|.{31,}")),
    ("aside", re.compile(r"^[（(][^()（）]*[)）]$")),  # "（经济管理学院）": a department or a remark, in brackets
)


def not_a_name(line: str) -> str | None:
    """Why a line of text cannot be a room's name ("level", "axis", "opening", …), or None."""
    s = unicodedata.normalize("NFKC", line).strip().upper()
    if not s:
        return "empty"
    for why, rx in NOT_A_NAME:
        if rx.search(s):
            return why
    if view_title(s) is not None:
        return "title"
    return None


# --- views of a drawing set -------------------------------------------------------------------------
# A view title as drafters write them under a view: 一层平面图, 地下一层平面图, 屋顶平面图, ①-④立面图,
# 1-1剖面图, 楼梯详图, 门窗表, 图纸目录, 设计说明 — usually with a scale (1:100) beside it.
VIEW_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("site", re.compile(r"总平面图|总图|区位图|SITE PLAN")),
    ("roof", re.compile(r"屋顶平面图|屋面平面图|屋顶层平面图|ROOF PLAN")),
    # The same floor drawn again by another trade (顶棚/天花, 照明/电气/插座, 给排水, 暖通, 消防, 弱电, 铺装,
    # 结构 ...): listed, never checked as a storey of its own.
    ("specialty", re.compile(r"(?:顶棚|天花|吊顶|照明|电气|插座|配电|给排水|给水|排水|暖通|空调|通风|消防|弱电|智能化|"
                             r"铺装|地面|墙面|索引|放线|结构|基础|梁|板|柱)\S*平面(?:布置)?图$|"
                             r"(?:CEILING|LIGHTING|ELECTRICAL|PLUMBING|HVAC|STRUCTURAL) PLAN$")),
    # A furnished layout (平面布置图): checked only for a storey that has no plain plan view.
    ("layout", re.compile(r"平面布置图$|布置平面图$|(?:FURNITURE|LAYOUT) PLAN$")),
    ("plan", re.compile(r"平面图$|平面$|FLOOR PLAN$|\dF\s*PLAN$")),
    ("elevation", re.compile(r"立面图$|立面$|ELEVATION$")),
    ("section", re.compile(r"剖面图$|剖面$|SECTION$")),
    ("detail", re.compile(r"详图$|大样图?$|节点图?$|DETAIL$")),
    ("schedule", re.compile(r"门窗表$|门窗统计表$|门窗大样$|构造做法表$|装修表$|SCHEDULE$")),
    ("index", re.compile(r"目录$")),
    ("notes", re.compile(r"设计说明$|施工说明$|总说明$")),
)
MAX_TITLE_CHARS = 30
_SENTENCE = re.compile(r"见|参照|按|及|和|与|、|,|。|;")  # "颜色及分格方式见立面图" refers to a view, it is not one
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_STOREY_RX = re.compile(r"(地下)?([一二两三四五六七八九十]{1,3}|\d{1,3})\s*(?:层|F|楼)|(首层|底层)|(B)(\d)", re.IGNORECASE)


def view_title(text: str) -> str | None:
    """The kind of view a title names ("plan", "elevation", …), or None if the text is not a title."""
    s = unicodedata.normalize("NFKC", text).strip().upper()
    s = re.sub(r"\s+", "", s)
    if not s or len(s) > MAX_TITLE_CHARS or "：" in text or ":" in s.split("1:")[0] or _SENTENCE.search(s):
        return None
    for kind, rx in VIEW_KINDS:
        if rx.search(s):
            return kind
    return None


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS.get(s[1:], 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(s, 0)


def storey_of_title(text: str) -> int | None:
    """The storey a plan title names: 一层 → 1, 二层 → 2, 地下一层 → -1, 首层 → 1, B1 → -1; None if none."""
    s = unicodedata.normalize("NFKC", text)
    m = _STOREY_RX.search(s)
    if not m:
        return None
    if m.group(3):
        return 1
    if m.group(4):
        return -int(m.group(5))
    n = _cn_number(m.group(2))
    if not n:
        return None
    return -n if m.group(1) else n


SCALE_RX = re.compile(r"^1\s*[:：]\s*(\d+)$")

# A figure the drawing states about a whole storey or building: 本层建筑面积：286.73m2, 总建筑面积 …, or
# in a sentence of the notes: "建筑面积为113.05m". ``scope`` is "storey" or "total".
_FIGURE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,9}(?:\.\d{1,4})?"  # 1,240.00 or 1240.00
STATED_AREA_RX = re.compile(
    r"(?P<scope>本层|总|地上|地下)?建筑面积\s{0,3}(?:[:：=]|为|约)?\s{0,3}(?P<value>" + _FIGURE + r")", re.IGNORECASE)
MAX_CLAIM_CHARS = 2000  # a text longer than this is a page of notes: its figures are not read


def stated_gross(text: str) -> tuple[str, float] | None:
    """("storey" | "total" | "any", m²) for a text stating a gross area (本层建筑面积 / 总建筑面积 / 建筑面积),
    else None. A room label's 建筑面积 field is
    a room's, not a storey's: callers pass text without room fields (see :func:`label_fields`)."""
    if len(text) > MAX_CLAIM_CHARS:
        return None
    s = unicodedata.normalize("NFKC", text)
    m = STATED_AREA_RX.search(s)
    if not m:
        return None
    scope = {"本层": "storey", "总": "total"}.get(m.group("scope") or "", "any")
    return scope, float(m.group("value").replace(",", ""))
