"""The drawing pre-check (``drawing.*`` results): what each finding means and what to do about it.

The findings themselves are made while reading (``layoutcheck.ingest``) and reported before the rules
(``rules.drawing_results``); this table is their documentation, for ``layoutcheck explain`` and
``layoutcheck rules``. A test holds it to every ``drawing.*`` message the reader can give.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DrawingCheck:
    id: str
    title: dict[str, str]
    what: dict[str, str]  # what layoutcheck found and what it did about it
    fix: dict[str, str]  # what the drafter should do


def _c(id_: str, title_zh: str, title_en: str, what_zh: str, what_en: str, fix_zh: str, fix_en: str) -> DrawingCheck:
    return DrawingCheck(id_, {"zh": title_zh, "en": title_en}, {"zh": what_zh, "en": what_en},
                        {"zh": fix_zh, "en": fix_en})


DRAWING_CHECKS: dict[str, DrawingCheck] = {c.id: c for c in (
    _c("drawing.no-room-outlines", "无房间轮廓，由墙体推算", "No room outlines: rooms from walls",
       "图纸没有房间轮廓；房间取墙体围合的空间：门窗处按其替代的墙段封闭，未画门的门洞在墙端正对 1.25 m 内另一墙体时封闭，"
       "两条墙线并排终止处补端线；房间名称取其中的文字。",
       "No room outlines: the rooms are the spaces the walls enclose, doors and windows closed by the wall piece "
       "they replace, an empty doorway closed where a wall end faces a wall within 1.25 m, two wall face lines "
       "ending side by side capped; names come from the labels inside.",
       "核对推算出的房间；结果需精确时在 SPACE / A-AREA 图层画出房间轮廓。",
       "Check the rooms found; for exact figures draw room outlines on SPACE / A-AREA."),
    _c("drawing.no-rooms", "没有房间", "No rooms",
       "既没有房间轮廓，也无法由墙体围合出房间；面积规则无法检查。",
       "No room outlines, and the walls enclose no room: the area rules cannot be checked.",
       "在 SPACE / A-AREA 图层画出房间轮廓，或用 --layers 说明墙体所在图层。",
       "Draw room outlines on SPACE / A-AREA, or name the wall layers with --layers."),
    _c("drawing.no-walls", "没有墙体", "No walls",
       "没有识别到墙体图层，建筑面积按房间轮廓计（偏小，不含墙体）。",
       "No wall layer found: the gross area is taken from the room outlines (too small: no walls).",
       "把墙体放在 WALL / A-WALL 图层，或用 --layers 指定墙体图层。",
       "Put the walls on WALL / A-WALL, or name their layer with --layers."),
    _c("drawing.units-guessed", "图纸单位为推测", "Units guessed",
       "图纸没有声明单位（$INSUNITS 缺失或为 0），按图纸尺寸推测。", "The drawing declares no unit ($INSUNITS "
       "missing or 0); it was guessed from the drawing's size.",
       "推测有误时用 --units 指定；在 CAD 中执行 UNITS 设定插入单位。", "Give --units if the guess is wrong; set "
       "the insertion unit with UNITS in CAD."),
    _c("drawing.units-suspect", "图纸单位可疑", "Units suspect",
       "按声明的单位，建筑尺寸不合常理（如按米读出数公里）。", "With the declared unit the building has an "
       "implausible size (kilometres long, say).",
       "用 --units 指定正确的单位。", "Give the right unit with --units."),
    _c("drawing.encoding-guessed", "文字编码已更正", "Code page corrected",
       "图纸声明的编码读出乱码，已依次试用 GBK、Big5、Shift-JIS，改用能读通的编码。", "The declared code page "
       "garbles the text; GBK, Big5 and Shift-JIS were tried and the one that reads was used.",
       "如仍不正确，用 --encoding 指定。", "If the text is still wrong, give --encoding."),
    _c("drawing.unlabeled-room", "房间无名称", "Room without a name",
       "有房间轮廓但其中没有房间名称，用途未知。", "A room outline holds no name, so its use is unknown.",
       "在房间内加注名称（如 服务大厅、档案室）。", "Put the room's name inside it (服务大厅, 档案室 …)."),
    _c("drawing.unknown-room-type", "房间用途无法识别", "Unknown room use",
       "房间名称不在同义词表中，按“其他”计。", "The room's name is not among the known synonyms; it counts as "
       "'other'.",
       "改用标准名称，或在图层映射文件 [room_types] 中补充同义词。", "Use a standard name, or add the synonym "
       "under [room_types] in a mapping file."),
    _c("drawing.label-outside", "房间名称在轮廓外", "Room name outside every room",
       "一个房间名称不在任何房间轮廓内：该房间缺轮廓，或文字放错了位置。", "A room name lies in no room outline: "
       "the room has no outline, or the text is misplaced.",
       "把文字移入房间，或补画该房间轮廓。", "Move the text into its room, or draw the room."),
    _c("drawing.open-room-outline", "房间轮廓未闭合", "Open room outline",
       "房间图层上的多段线未闭合（首尾相接的几段已合并为一个轮廓），未计入房间；报告缺口长度与位置。",
       "A polyline on a room layer is open (pieces that meet end to end were joined first) and was not counted "
       "as a room; the gap's length and place are given.",
       "在 CAD 中闭合该多段线（PEDIT → 闭合）。", "Close the polyline in CAD (PEDIT → Close)."),
    _c("drawing.invalid-polygon", "房间轮廓自相交", "Self-crossing outline",
       "房间轮廓自相交，已用 make_valid 修复后计算面积。", "A room outline crosses itself; it was repaired "
       "(make_valid) before measuring.",
       "在 CAD 中修正该多段线。", "Fix the polyline in CAD."),
    _c("drawing.overlapping-rooms", "房间重叠", "Overlapping rooms",
       "两个房间轮廓重叠，重叠部分在使用面积中重复计算。", "Two room outlines overlap; the overlap is counted "
       "twice in the usable area.",
       "修正轮廓，使房间互不重叠。", "Fix the outlines so that rooms do not overlap."),
    _c("drawing.area-mismatch", "标注面积与实测不符", "Area note differs",
       "房间内标注的面积与实测面积相差超过容差。", "The area noted in a room differs from the measured area.",
       "核对轮廓或更新面积标注。", "Check the outline or update the note."),
    _c("drawing.outline-mismatch", "建筑面积轮廓与墙体不符", "Gross outline far from the walls",
       "图中画出的建筑面积轮廓远超所有墙体的范围（如把用地红线画在了该图层），或漏掉了墙体围合的部分（轮廓未随设计更新）；"
       "建筑面积按画出的轮廓计。",
       "The drawn gross-area outline reaches well beyond every wall (a site boundary on that layer) or leaves "
       "out what the walls enclose (a stale outline); the gross area follows the drawn outline.",
       "沿外墙外皮重画建筑面积轮廓，或删去它让 layoutcheck 由墙体计算。", "Redraw the outline along the outer "
       "wall faces, or delete it and let layoutcheck measure from the walls."),
    _c("drawing.stated-gross-mismatch", "注明的建筑面积与实测不符", "Stated gross area differs",
       "图中注明的建筑面积（视图标题下的“本层建筑面积”，或设计说明中的总建筑面积）与由外墙轮廓实测的建筑面积相差超过 3%。",
       "A gross area the drawing states (本层建筑面积 under a plan view, or the total in the notes) differs from the "
       "gross area measured from the outer walls by more than 3 %.",
       "核对注明的面积，或外墙、建筑面积线是否画全。", "Check the stated figure, or whether the outer walls and the "
       "gross-area outline are complete."),
    _c("drawing.single-line", "单线示意图", "Single-line schematic",
       "图纸没有可识别的墙体、房间或门窗图层，只有线条与文字：房间取线条围合的范围（按轴线/单线量取，含半墙厚）。",
       "No recognisable wall, room or opening layers, only lines and text: rooms are the spaces the lines enclose, "
       "measured on the lines (centre lines: half a wall too large).",
       "用双线墙或在 SPACE 图层画出房间轮廓后再检查。", "Draw double-line walls, or room outlines on SPACE, and "
       "check again."),
    _c("drawing.repeated-plan", "同一平面画了两次", "The same plan drawn twice",
       "建筑轮廓中有两块形状与面积几乎相同的部分（相差不到 3%）：多半是同一层的两张图（建筑、电气……）画在一个模型空间且没有图名；"
       "建筑面积与房间都计入了两份。",
       "Two parts of the building outline have nearly the same shape and area (within 3 %): most likely two "
       "drawings of one floor (architectural, electrical …) in one model space without titles; the gross area "
       "and the rooms count both.",
       "只保留一份平面，或给每个视图加上图名（一层平面图 1:100）后用 --view 选择。", "Keep one plan, or title "
       "each view (一层平面图 1:100) and pick one with --view."),
    _c("drawing.same-storey-views", "同一层有两张平面图", "Two plans of one storey",
       "一套图中有两张同一层的平面图（同一楼层的两个方案、复制的图）；只检查第一张，建筑面积不重复计算。专业平面（顶棚、照明、给排水……）"
       "本来就不检查。",
       "The set holds two plans of the same storey (two schemes, a copy); only the first is checked, so the gross "
       "area is not counted twice. Trade plans (ceiling, lighting, plumbing …) are never checked.",
       "确认检查的是正确的一张；需要检查另一张时用 --view。", "Check the right one was checked; use --view for the "
       "other."),
    _c("drawing.drawing-set", "一套图在一个模型空间", "A drawing set in one model space",
       "模型空间中有多个视图（平面图、立面图、剖面图、详图、目录、说明……，按视图标题识别）；只检查平面图视图，每个平面图按一层计。",
       "Model space holds several views (plans, elevations, sections, details, lists, notes — found by their "
       "titles); only the floor-plan views are checked, each as a storey.",
       "确认检查的视图是否正确；只检查某一视图时用 --view（如 --view 一层）。", "Check the views checked are the right "
       "ones; to check one view give --view (e.g. --view 一层)."),
    _c("drawing.no-plan-view", "一套图中没有平面图", "No floor plan in the drawing set",
       "模型空间中有多个视图，但没有标题为“…平面图”的视图；已按整张图读取。",
       "Model space holds several views but none titled as a floor plan; the drawing was read whole.",
       "给平面图加上标题（如 一层平面图 1:100），或只导出平面图。", "Title the floor plan (一层平面图 1:100), or "
       "export the plan alone."),
    _c("drawing.proxy-entities", "天正自定义对象", "TArch proxy objects",
       "图纸含天正自定义对象（ACAD_PROXY_ENTITY / TCH_*），其中没有可读的几何，未参与检查。", "TArch custom "
       "objects (ACAD_PROXY_ENTITY / TCH_*) carry no readable geometry and were skipped.",
       "用天正“图形导出”导出为 T3 格式，或分解（EXPLODE）后再检查。", "Export to T3 with TArch's 图形导出, "
       "or EXPLODE them, and check again."),
    _c("drawing.dwg-block-names", "DWG 图块表损坏", "Damaged DWG block table",
       "DWG 的图块名为空或含控制字符，或图块参照指向图块表中没有的图块；这些图块及其参照已跳过。",
       "A DWG block name is empty or holds control characters, or an INSERT names a block the block table "
       "does not define; those blocks and their inserts were skipped.",
       "在 CAD 中执行 AUDIT（必要时 RECOVER）后重新保存，再检查。", "Run AUDIT (RECOVER if need be) in CAD, save "
       "and check again."),
    _c("drawing.dwg-unread", "DWG 图元无法解码", "DWG entities not decoded",
       "DWG 读取器（ezdwg）无法解码某一类型的图元，这些图元已跳过并计数。", "The DWG reader (ezdwg) could not "
       "decode the entities of one type; they were skipped and counted.",
       "如结果缺少内容，在 CAD 中另存为 DXF 后检查 DXF。", "If the result misses something, save the drawing as "
       "DXF in CAD and check the DXF."),
    _c("drawing.recovered", "文件已修复读取", "File recovered",
       "DXF 文件有结构错误，已按 ezdxf 的修复模式读取。", "The DXF had structural errors and was read through "
       "ezdxf's recover path.",
       "在 CAD 中执行 AUDIT 后重新保存。", "Run AUDIT in CAD and save again."),
    _c("drawing.nesting-limit", "图块嵌套过深", "Blocks nested too deep",
       "图块嵌套超过 8 层（或引用自身），这些图块已跳过。", "Blocks nested deeper than 8 levels (or inserting "
       "themselves) were skipped.",
       "在 CAD 中分解（EXPLODE）这些图块。", "EXPLODE them in CAD."),
    _c("drawing.bad-numbers", "数值无效的图元", "Entities with unusable numbers",
       "图元的坐标、比例等为 NaN、无穷大或大得离谱，或图块比例为 0，已跳过。", "Entities with NaN, infinite or "
       "absurd coordinates or scales (or a block at scale 0) were skipped.",
       "在 CAD 中执行 AUDIT 并检查这些图元。", "Run AUDIT in CAD and check them."),
    _c("drawing.vertex-limit", "顶点过多的图元已跳过", "Entity with too many vertices left out",
       "一条多段线或一个填充边界的顶点多于 2,000 个，按 10 mm 简化（Douglas-Peucker，保持拓扑）后仍然过多（如密集的锯齿线），"
       "已跳过（多于 50,000 个顶点的不作简化，直接跳过）：这样的图形会使几何运算（如通行空间的内缩）占用数 GB 内存。",
       "A polyline or hatch boundary has more than 2,000 vertices and still has too many when simplified to "
       "10 mm (Douglas-Peucker, topology kept), e.g. a dense zig-zag, or has more than 50,000 (not simplified); it "
       "was left out: geometry like that makes "
       "the geometry work (eroding the floor for routes) take gigabytes.",
       "在 CAD 中用较少的顶点重画该图元（如用 PEDIT 拟合/简化，或按实际墙线重绘）。",
       "Redraw the entity with fewer vertices in CAD (PEDIT, or trace the real wall line again)."),
    _c("drawing.simplified", "顶点过多的图元已简化", "Entity with many vertices simplified",
       "一条多段线或一个填充边界的顶点多于 2,000 个，已按 10 mm 的容差简化（Douglas-Peucker，保持拓扑）后检查；"
       "面积与位置的误差不超过 10 mm 量级。",
       "A polyline or hatch boundary has more than 2,000 vertices; it was checked simplified to within 10 mm "
       "(Douglas-Peucker, topology kept), so areas and places are off by at most about 10 mm.",
       "通常无需处理；需要时在 CAD 中用较少的顶点重画。", "Usually nothing; redraw it with fewer vertices if "
       "need be."),
    _c("drawing.counter-front-inferred", "柜台群众一侧为推断", "Public side of counters inferred",
       "柜台图块没有 SIDE 属性，群众一侧由图面推断：朝向入口、等候座椅与“等候区/查询区”标注、大厅开敞的一侧，背向工作人员座椅"
       "（办公椅）和办公室、档案室。通行路线与轮椅回转空间只在这一侧量取。",
       "The counter blocks carry no SIDE attribute, so their public side was inferred: the side facing the "
       "entrance, the waiting seats and 等候区/查询区 labels and the hall's open floor, away from staff chairs and "
       "back offices. Routes and turning circles are measured on that side only.",
       "给柜台图块加属性 SIDE=FRONT（图块局部 −Y 一侧面向群众）或 SIDE=BACK（+Y 一侧面向群众）。",
       "Give each counter block the attribute SIDE=FRONT (its local −Y side faces the public) or SIDE=BACK (+Y)."),
    _c("drawing.counter-long", "柜台图块过长", "Very long counter block",
       "一个柜台图块长于 3 m，其中没有嵌套的柜台图块：可能是一整排窗口画成了一个柜台，窗口数、高度与无障碍路线按一个柜台检查。",
       "A counter block is longer than 3 m and holds no counter blocks: a row of windows drawn as one counter "
       "is counted, measured and routed to as one.",
       "每个窗口插入一个柜台图块（可放在一个“柜台排”图块中，各带自己的 HEIGHT 属性）；确是一个长柜台时可忽略。",
       "Insert one counter block per window (they may sit inside one row block, each with its own HEIGHT); "
       "ignore this if it really is one long counter."),
)}
