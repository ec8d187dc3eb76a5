"""The duty handbook as an A4 PDF, drawn with reportlab.

Chinese text is set in a font resolved once (`pdf_font`), embedded in the PDF as a subset:
1. settings.DUTYADMIN_PDF_FONT, a TrueType file (.ttf, or .ttc with `#index`);
2. a TrueType CJK font of the system, first WenQuanYi Micro Hei (文泉驿微米黑) of Debian's package
   fonts-wqy-microhei, /usr/share/fonts/truetype/wqy/wqy-microhei.ttc (.ci/run installs it), then the others
   of SYSTEM_TRUETYPE_CJK. reportlab embeds TrueType (glyf) outlines only: Noto Sans CJK of fonts-noto-cjk
   has CFF outlines and cannot be used;
3. only when none is installed, reportlab's built-in CID font STSong-Light (Adobe-GB1), which the PDF names
   without embedding it: the reader supplies the glyphs (Adobe Reader, Chrome, pdf.js, poppler), and a
   reader without a Chinese font draws nothing; a warning is logged.
Only characters of GB 18030 are written (no symbol that a CJK font might lack), so no reader draws boxes.
The footer reads "第 2 / 5 页": the canvas keeps each page until the last one is known (NumberedCanvas).
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as canvas_module
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..findings.explain import chinese_date
from .build import Handbook

log = logging.getLogger(__name__)

CID_FONT = "STSong-Light"
SYSTEM_TRUETYPE_CJK = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
# Where each font comes from, as the handbook page names it (the font's name, its Debian package).
FONT_SOURCES = {
    "wqy-microhei": ("文泉驿微米黑", "fonts-wqy-microhei"),
    "wqy-zenhei": ("文泉驿正黑", "fonts-wqy-zenhei"),
    "uming": ("AR PL UMing", "fonts-arphic-uming"),
    "ukai": ("AR PL UKai", "fonts-arphic-ukai"),
    "DroidSansFallbackFull": ("Droid Sans Fallback", "fonts-droid-fallback"),
}
TONE_COLOURS = {
    "ok": colors.HexColor("#1a7f37"),
    "warn": colors.HexColor("#9a6700"),
    "bad": colors.HexColor("#b42318"),
    "": colors.HexColor("#57606a"),
}
INK = colors.HexColor("#1f2328")
LINE = colors.HexColor("#d8dde3")
HEAD_BG = colors.HexColor("#f3f4f6")
BRAND = colors.HexColor("#9b1c1c")


def _register_truetype(path: str) -> str | None:
    """Register a TrueType font (path, or path#index for a collection); its name, or None if unusable."""
    file, _, index = path.partition("#")
    if not Path(file).is_file():
        return None
    name = f"HandbookCJK-{Path(file).stem}-{index or 0}"
    try:
        pdfmetrics.registerFont(TTFont(name, file, subfontIndex=int(index or 0)))
    except Exception as exc:  # noqa: BLE001 - a CFF-outline OpenType font, a broken file: try the next one
        log.info("PDF font %s not usable: %s", path, exc)
        return None
    return name


@lru_cache(maxsize=1)
def pdf_font() -> str:
    """The name of the font Chinese text is set in (see the module's docstring for the order)."""
    configured = getattr(settings, "DUTYADMIN_PDF_FONT", "") or ""
    for path in ([configured] if configured else []) + list(SYSTEM_TRUETYPE_CJK):
        name = _register_truetype(path)
        if name:
            return name
    log.warning("No TrueType CJK font found (install fonts-wqy-microhei): the handbook PDF names %s without "
                "embedding it", CID_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def pdf_font_source() -> str:
    """The font the PDF is set in and where it came from, in Chinese, for the page that offers the PDF."""
    font = pdf_font()
    if font == CID_FONT:
        return (f"PDF 字体:{CID_FONT}(reportlab 内置,未嵌入,由阅读软件提供字形;"
                "安装 Debian 软件包 fonts-wqy-microhei 后将嵌入文泉驿微米黑)")
    stem = font.removeprefix("HandbookCJK-").rsplit("-", 1)[0]
    label, package = FONT_SOURCES.get(stem, (stem, ""))
    path = pdfmetrics.getFont(font).face.filename
    origin = f"Debian 软件包 {package}," if package else ""
    return f"PDF 字体:{label}(已嵌入;来自{origin}{path})"


class NumberedCanvas(canvas_module.Canvas):
    """A canvas that holds each page's state until the document ends, then draws "第 n / N 页" on each
    (the total is known only then) in the font and at the place `page_label` names."""

    page_label: tuple[str, float, float, float] | None = None  # font, size, right x, y: set by a subclass

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        if self.page_label is None:
            return
        font, size, right, y = self.page_label
        self.saveState()
        self.setFont(font, size)
        self.setFillColor(TONE_COLOURS[""])
        self.drawRightString(right, y, page_number_label(self._pageNumber, total))
        self.restoreState()


def page_number_label(page: int, total: int) -> str:
    return f"第 {page} / {total} 页"


# Middle dots that STSong-Light maps to a half-width glyph some readers lack (poppler draws a box):
# written as the full-width katakana middle dot, which every CJK font has.
BULLETS = str.maketrans({"\u2022": "\u00b7", "\u2027": "\u00b7"})
DOTS = str.maketrans({"\u00b7": "\u30fb"})


def gb_only(text: object) -> str:
    """Keep only characters of GBK, which every Simplified Chinese font has (STSong-Light's Adobe-GB1
    included); anything else (emoji, symbols) becomes "?" rather than a box; middle dots become "・"."""
    value = "" if text is None else str(text)
    return value.translate(BULLETS).encode("gbk", errors="replace").decode("gbk").translate(DOTS)


def pdf_safe(text: object) -> str:
    """gb_only, escaped for reportlab's paragraph markup."""
    return escape(gb_only(text))


class _Styles:
    def __init__(self, font: str) -> None:
        base = {"fontName": font, "textColor": INK, "wordWrap": "CJK"}
        self.title = ParagraphStyle("title", fontSize=18, leading=24, alignment=1, spaceAfter=2 * mm, **base)
        self.subtitle = ParagraphStyle("subtitle", fontSize=10, leading=14, alignment=1,
                                       textColor=TONE_COLOURS[""], fontName=font, wordWrap="CJK")
        self.h2 = ParagraphStyle("h2", fontSize=13, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm,
                                 textColor=BRAND, fontName=font, wordWrap="CJK")
        self.h3 = ParagraphStyle("h3", fontSize=10.5, leading=15, spaceBefore=2 * mm, spaceAfter=1 * mm, **base)
        self.body = ParagraphStyle("body", fontSize=9, leading=13, **base)
        self.small = ParagraphStyle("small", fontSize=8, leading=11, textColor=TONE_COLOURS[""], fontName=font,
                                    wordWrap="CJK")
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=11.5, **base)
        self.head = ParagraphStyle("head", fontSize=8.5, leading=11.5, fontName=font, textColor=TONE_COLOURS[""],
                                   wordWrap="CJK")

    def tone(self, text: str, tone: str) -> Paragraph:
        colour = TONE_COLOURS.get(tone, INK).hexval()[2:]
        return Paragraph(f'<font color="#{colour}">{pdf_safe(text)}</font>', self.cell)


def _bar(percent: int, tone: str, font: str, width: float = 28 * mm, height: float = 3 * mm) -> Drawing:
    """A progress bar drawn as two rectangles (no glyph that a font could lack; the font is the text's, so
    the drawing names no other)."""
    drawing = Drawing(width, height, initialFontName=font)
    drawing.add(Rect(0, 0, width, height, fillColor=HEAD_BG, strokeColor=LINE, strokeWidth=0.4))
    if percent > 0:
        drawing.add(Rect(0, 0, width * min(percent, 100) / 100, height, strokeWidth=0,
                         fillColor=TONE_COLOURS.get(tone, TONE_COLOURS["ok"])))
    return drawing


def _table(rows: list[list], widths: list[float], styles: _Styles) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.cell.fontName, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, LINE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(pdf_safe(text), style)


def handbook_pdf(handbook: Handbook, *, printed_on: dt.date) -> bytes:
    """The handbook's A4 PDF, as bytes."""
    font = pdf_font()
    styles = _Styles(font)
    deputy = handbook.deputy
    buffer = io.BytesIO()
    width = A4[0] - 36 * mm

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(TONE_COLOURS[""])
        canvas.drawString(18 * mm, 10 * mm, gb_only(f"{deputy.name} {handbook.year}年度履职手册"))
        canvas.restoreState()

    numbered = type("HandbookCanvas", (NumberedCanvas,), {"page_label": (font, 8, A4[0] - 18 * mm, 10 * mm)})

    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm,
        title=f"{deputy.name} {handbook.year}年度履职手册", author=settings.DISTRICT_NAME, subject="代表履职手册",
        initialFontName=font,
    )
    story: list = [
        _p(f"{settings.DISTRICT_NAME}人民代表大会代表", styles.subtitle),
        _p(f"{handbook.year}年度履职手册", styles.title),
        _p(f"{deputy.name} · {deputy.term.name} · {deputy.street_committee.name}"
           + (f" · {deputy.delegation.name}" if deputy.delegation_id else ""), styles.subtitle),
        _p(("年度已结束,以下为全年结果" if handbook.final else "年度进行中")
           + f"(评估日期:{chinese_date(handbook.as_of)};打印日期:{chinese_date(printed_on)})", styles.subtitle),
        Spacer(1, 4 * mm),
    ]
    for line in handbook.suspensions:  # 暂时停止执行代表职务 (代表法 Art. 61): the days the rules leave out
        until = chinese_date(line.end_date) if line.end_date else "至今"
        story.append(_p(f"暂停执行代表职务：{chinese_date(line.start_date)}至{until}（本年度 {line.days_in_year} 天）"
                        f"。{line.reason}", styles.subtitle))

    # Progress of every threshold.
    story.append(_p("一、履职要求完成情况", styles.h2))
    rows: list[list] = [[_p(h, styles.head) for h in ("条款", "要求", "完成 / 要求", "进度", "状态")]]
    for item in handbook.progress:
        done = "—" if item.count is None else f"{item.count} / {item.required}"
        rows.append([_p(item.article, styles.cell), _p(f"{item.label}({item.window})", styles.cell), _p(done, styles.cell),
                     _bar(item.percent, item.tone, font) if item.count is not None else "", styles.tone(item.status_label, item.tone)])
    story.append(_table(rows, [16 * mm, width - 16 * mm - 24 * mm - 32 * mm - 22 * mm, 24 * mm, 32 * mm, 22 * mm], styles))
    if handbook.actions:
        story.append(_p("本年度触发的处置事项", styles.h3))
        rows = [[_p(h, styles.head) for h in ("条款", "事项", "触发日期", "状态", "说明")]]
        for line in handbook.actions:
            rows.append([_p(line.article, styles.cell), _p(line.label, styles.cell),
                         _p(chinese_date(line.trigger_date), styles.cell), styles.tone(line.status_label, line.tone),
                         _p(line.note, styles.cell)])
        story.append(_table(rows, [14 * mm, 48 * mm, 26 * mm, 18 * mm, width - 106 * mm], styles))

    # Art. 3: sessions, leave and absences.
    story.append(_p("二、出席区人民代表大会会议情况(第三条)", styles.h2))
    if not handbook.sessions:
        story.append(_p("本年度没有召开区人民代表大会会议。", styles.body))
    for session in handbook.sessions:
        tally = "、".join(f"{mark} {n}" for mark, n in session.tally.items() if n)
        block = [_p(f"{session.name}({chinese_date(session.start_date)}至{chinese_date(session.end_date)})"
                    f"  {tally}" + ("  未经批准不出席本次大会" if session.non_attendance else ""), styles.h3)]
        rows = [[_p(h, styles.head) for h in ("日期", "时段", "会议", "出席情况")]]
        for meeting in session.meetings:
            rows.append([_p(chinese_date(meeting.date), styles.cell), _p(meeting.half_day_label, styles.cell),
                         _p(meeting.title or meeting.kind_label, styles.cell),
                         styles.tone(meeting.mark, meeting.tone)])
        block.append(_table(rows, [30 * mm, 16 * mm, width - 76 * mm, 30 * mm], styles))
        for leave in session.leaves:
            block.append(_p(f"请假:{leave.route_label}({leave.status_label}) {leave.what}", styles.small))
        story.append(KeepTogether(block))

    # Art. 4–6: activities, grouped as the regulation lists them.
    for number, section in zip(("三", "四", "五"), handbook.activity_sections):
        story.append(_p(f"{number}、{section.title}({section.article})", styles.h2))
        groups = [g for g in section.groups if g.rows]
        if not groups:
            story.append(_p("本年度没有登记。", styles.body))
        for group in groups:
            rows = [[_p(h, styles.head) for h in ("日期", "活动名称", "应邀确定参加", "参加情况")]]
            for row in group.rows:
                title = f"{row.title}({row.counts_note})" if row.counts_note else row.title
                rows.append([_p(chinese_date(row.date), styles.cell), _p(title, styles.cell),
                             _p("是" if row.confirmed else "否", styles.cell),
                             styles.tone(row.outcome_label, row.tone)])
            story.append(KeepTogether([
                _p(f"{group.label}:出席 {group.counted} 次(共登记 {len(group.rows)} 项)", styles.h3),
                _table(rows, [30 * mm, width - 80 * mm, 26 * mm, 24 * mm], styles),
            ]))

    # Art. 3(三)(五): review opinions, suggestions, motions, inquiries.
    story.append(_p("六、审议意见、建议、议案和询问(第三条)", styles.h2))
    groups = [g for g in handbook.contributions if g.rows]
    if not groups:
        story.append(_p("本年度没有登记。", styles.body))
    for group in groups:
        rows = [[_p(h, styles.head) for h in ("日期", "标题", "提出场合", "确认")]]
        for row in group.rows:
            rows.append([_p(chinese_date(row.date), styles.cell), _p(row.title, styles.cell),
                         _p(row.where, styles.cell),
                         styles.tone("已确认" if row.confirmed else "待确认", "" if row.confirmed else "warn")])
        story.append(KeepTogether([_p(f"{group.label}:{len(group.rows)} 件", styles.h3),
                                   _table(rows, [30 * mm, width - 92 * mm, 42 * mm, 20 * mm], styles)]))

    # Art. 9: interventions.
    story.append(_p("七、履职处置记录(第九条)", styles.h2))
    if not handbook.interventions:
        story.append(_p("本年度没有约谈、通报等处置记录。", styles.body))
    else:
        rows = [[_p(h, styles.head) for h in ("日期", "事项", "处置方式", "实施人")]]
        for row in handbook.interventions:
            rows.append([_p(chinese_date(row.date), styles.cell), _p(row.rule_label, styles.cell),
                         _p(row.kind_label, styles.cell), _p(row.conducted_by, styles.cell)])
        story.append(_table(rows, [30 * mm, width - 100 * mm, 24 * mm, 46 * mm], styles))

    story += [Spacer(1, 8 * mm),
              _p("本手册依据《北京市东城区人民代表大会代表履职管理办法(试行)》(东常字〔2020〕14号)汇总,"
                 "记录以系统登记为准。", styles.small)]
    doc.build(story, onFirstPage=footer, onLaterPages=footer, canvasmaker=numbered)
    return buffer.getvalue()
