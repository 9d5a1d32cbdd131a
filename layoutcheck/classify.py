"""Room and zone types from their labels, in Chinese and English.

Synonyms are matched as substrings of the normalised label, longest synonym first, so
"档案管理区" is an archive and "服务大厅" a hall. A user's mapping file can add synonyms.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Room types: the uses a standard can ask for.
ROOM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "hall": ("服务大厅", "办事大厅", "业务大厅", "便民服务大厅", "政务大厅", "服务厅", "大厅",
             "便民服务中心", "人力资源市场", "服務大廳", "辦事大廳", "大廳", "SERVICE HALL", "HALL", "LOBBY"),
    "archive": ("档案室", "档案管理区", "档案保管区", "档案库", "档案", "檔案室", "檔案", "ARCHIVE", "RECORDS"),
    "office": ("工作人员办公室", "办公室", "办公", "主任室", "会议室", "辦公室", "會議室", "事務室", "OFFICE", "MEETING"),
    "public_service": ("公共服务区", "PUBLIC SERVICE"),
    "consultation": ("咨询服务区", "咨询区", "咨询室", "CONSULT"),
    "employment": ("就业服务区", "就业服务室", "就业服务", "职业介绍", "EMPLOYMENT"),
    "auxiliary": ("卫生间", "厕所", "洗手间", "储藏室", "储藏间", "储物间", "库房", "设备间", "机房",
                  "配电间", "配电室", "配电房", "弱电间", "服务器室", "工具间", "消防控制室", "水房", "值班室", "茶水间",
                  "开水间", "休息室", "更衣室", "杂物间", "保洁间",
                  "衛生間", "廁所", "儲藏室", "倉庫", "便所",
                  "TOILET", "WC", "W.C.", "STORE", "STORAGE", "PLANT", "SERVER", "KITCHEN", "UTILITY",
                  "CLOAK"),
    "circulation": ("走廊", "走道", "过道", "门厅", "门斗", "楼梯间", "楼梯", "电梯", "前室", "CORRIDOR",
                    "STAIR", "LIFT", "ELEVATOR", "PORCH", "ENTRANCE", "HALLWAY"),
}
ROOM_TYPES: tuple[str, ...] = (*ROOM_SYNONYMS, "other")

# Zone types: functional areas of a hall (开封 第十七条/第十八条). A label naming one of these
# inside a room is a zone label, never the room's name.
ZONE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "waiting": ("等候区", "候办区", "休息区", "WAITING"),
    "query": ("查询区", "自助查询", "QUERY"),
    "business": ("业务办理区", "办理区", "柜台区", "窗口区"),
    "info": ("信息发布区", "信息发布政策宣传区", "政策宣传区", "信息发布", "宣传区", "INFORMATION"),
    "employment_zone": ("就业服务功能区", "就业服务区域", "招聘区", "招聘摊位"),
    "social_insurance_zone": ("社会保险经办业务功能区", "社会保险经办业务区", "社保业务区", "社会保险区"),
    "hr_zone": ("人力资源服务功能区", "人力资源服务区"),
}

_AREA_RX = re.compile(
    r"^\s*(?:(?:使用|建筑)?面积\s*[:：=]?\s*)?(?:S\s*=\s*)?(\d+(?:[.,]\d+)?)\s*(?:M2|平方米|平米)\s*$",
    re.IGNORECASE,
)
_DIMENSION_RX = re.compile(r"^\s*[\d'\".,\-\s]+\s*[X×*]\s*[\d'\".,\-\s]+$", re.IGNORECASE)


# Spaces between two CJK characters are layout, not words: drafters write "办  公  室" to fill a room.
_CJK_SPACING_RX = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")


def normalise(text: str) -> str:
    return _CJK_SPACING_RX.sub("", unicodedata.normalize("NFKC", text)).strip().upper()


def area_annotation(text: str) -> float | None:
    """The area in m² if the text is an area annotation such as "67.74㎡" or "面积: 20 m2"."""
    if len(text) > MAX_LABEL_CHARS:
        return None
    # NFKC turns ㎡ and m² into "m2", so one pattern covers the ways CAD users write it.
    m = _AREA_RX.match(unicodedata.normalize("NFKC", text))
    return float(m.group(1).replace(",", ".")) if m else None


MAX_LABEL_CHARS = 200  # a room name or area note is short; longer text is a note, not read as one


def split_area(text: str) -> tuple[str, float | None]:
    """A name with its area note on one line: "服务大厅 67.74㎡" / "档案室（12.00m²）" → (name, area).
    A line without a trailing area note is returned unchanged, with None."""
    if len(text) > MAX_LABEL_CHARS:  # the split below tries every position: keep it cheap
        return text, None
    for i in range(1, len(text)):
        tail = text[i:].strip().strip("()（）[]【】 ")
        cut_in_number = text[i - 1].isdigit() or text[i - 1] in ".,"  # "会议室2 20㎡": not "2 20"
        a = area_annotation(tail) if tail and not cut_in_number else None
        name = text[:i].rstrip(" \t　(（[【")
        if a is not None and name:
            return name, a
    return text, None


def is_dimension(text: str) -> bool:
    """Room-size notes such as "5065 X 3350" or "12' X 10'"."""
    if len(text) > MAX_LABEL_CHARS:  # the pattern backtracks on long runs of digits and spaces
        return False
    return bool(_DIMENSION_RX.match(unicodedata.normalize("NFKC", text)))


def _lookup(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    return _lookup_in(normalise(text), _words(_frozen(table)))


def _lookup_in(name: str, words: tuple[tuple[str, str, re.Pattern | None], ...]) -> str | None:
    best: tuple[int, str] | None = None
    for kind, w_n, rx in words:
        if (w_n in name if rx is None else rx.search(name) is not None) and (best is None or len(w_n) > best[0]):
            best = (len(w_n), kind)
    return best[1] if best else None


def _frozen(table: dict[str, tuple[str, ...]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((k, tuple(v)) for k, v in table.items())


@functools.lru_cache(maxsize=64)
def _words(table: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, str, re.Pattern | None], ...]:
    """A synonym table normalised once, in its order (ties go to the first): (type, word, pattern for a
    Latin word, which must match whole words: "WC" is not inside "WCONSULT"; None for CJK: a substring)."""
    out = []
    for kind, words in table:
        for w in words:
            w_n = normalise(w)
            out.append((kind, w_n, re.compile(rf"(?<![A-Z]){re.escape(w_n)}(?![A-Z])") if w_n.isascii() else None))
    return tuple(out)


def room_type(label: str, extra: dict[str, tuple[str, ...]] | None = None) -> str:
    """The room type a label names, or "other"."""
    table = {k: v + tuple((extra or {}).get(k, ())) for k, v in ROOM_SYNONYMS.items()} if extra else ROOM_SYNONYMS
    return _lookup(label, table) or "other"


def zone_type(label: str) -> str | None:
    """The zone type a label names (等候区 → waiting), or None if it is not a zone label."""
    return _lookup(label, ZONE_SYNONYMS)


def is_zone_label(label: str) -> bool:
    """A zone label names a zone and not a room: "等候区" yes; "档案管理区" is an archive room."""
    z = zone_type(label)
    if z is None:
        return False
    r = _lookup(label, ROOM_SYNONYMS)
    return r is None or len(_best_word(label, ZONE_SYNONYMS)) >= len(_best_word(label, ROOM_SYNONYMS))


def _best_word(label: str, table: dict[str, tuple[str, ...]]) -> str:
    name = normalise(label)
    words = [w_n for _, w_n, rx in _words(_frozen(table)) if (w_n in name if rx is None else rx.search(name))]
    return max(words, key=len, default="")
