"""The handbook as a PDF: A4, Chinese text that a reader extracts as written (the deputy's name included),
no character outside the font's set, and a font that needs nothing installed."""
import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from activities.choices import ActivityKind
from dutyadmin.roles import Role
from oversight.handbook import pdf as handbook_pdf
from oversight.handbook.build import handbook_build
from oversight.handbook.pdf import CID_FONT, gb_only, pdf_font
from oversight.handbook.pdf import handbook_pdf as render_pdf
from tests import factories


@pytest.fixture
def activity(world):
    activity = factories.ActivityFactory(term=world["term"], kind=ActivityKind.INSPECTION, date=dt.date(2024, 5, 6),
                                         title="视察“接诉即办”工作·东四")
    factories.ParticipationFactory(activity=activity, deputy=world["zhang"])
    return activity


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_download_carries_the_deputys_name_in_chinese(login, world, activity):
    response = login(Role.DEPUTY).get(f"/oversight/deputies/{world['zhang'].pk}/handbook.pdf?year=2024")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = text_of(response.content)
    for words in ("张东", "2024年度履职手册", "东四", "一、履职要求完成情况", "参加闭会期间活动", "集中视察",
                  "出席区人民代表大会会议情况", "第十七届第三次会议"):
        assert words in text, words
    assert "视察“接诉即办”工作・东四" in text  # a middle dot is written as one every CJK font has


def test_staff_download_a_deputys_pdf_in_their_scope_only(login, world):
    assert login(Role.STREET_STAFF).get(f"/oversight/deputies/{world['li'].pk}/handbook.pdf").status_code == 200
    assert login(Role.STREET_STAFF).get(f"/oversight/deputies/{world['wang'].pk}/handbook.pdf").status_code == 404


def test_the_default_font_is_reportlabs_built_in_chinese_font(world, settings):
    settings.DUTYADMIN_PDF_FONT = "/nowhere/missing.ttf"
    pdf_font.cache_clear()
    try:
        font = pdf_font()
        if font != CID_FONT:  # a TrueType CJK font of the system is embedded instead: as good
            assert font.startswith("HandbookCJK-")
        content = render_pdf(handbook_build(deputy=world["zhang"], year=2024, today=dt.date(2026, 3, 1)),
                             printed_on=dt.date(2026, 3, 1))
        assert "张东" in text_of(content)
    finally:
        pdf_font.cache_clear()


def test_the_cid_font_route_works_with_no_font_file_at_all(world, monkeypatch):
    monkeypatch.setattr(handbook_pdf, "SYSTEM_TRUETYPE_CJK", ())
    pdf_font.cache_clear()
    try:
        assert pdf_font() == CID_FONT
        content = render_pdf(handbook_build(deputy=world["zhang"], year=2024, today=dt.date(2026, 3, 1)),
                             printed_on=dt.date(2026, 3, 1))
        assert b"/STSong-Light" in content
        assert "张东" in text_of(content)
    finally:
        pdf_font.cache_clear()


def test_text_outside_the_fonts_set_is_replaced_not_boxed():
    assert gb_only("张东✓😀") == "张东??"
    assert gb_only("王·芳•李‧明") == "王・芳・李・明"
    assert gb_only("〔2020〕14号—“说明”") == "〔2020〕14号—“说明”"
    assert gb_only(None) == ""


def test_a_page_of_the_pdf_renders_to_an_image(world, activity, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    content = render_pdf(handbook_build(deputy=world["zhang"], year=2024, today=dt.date(2026, 3, 1)),
                         printed_on=dt.date(2026, 3, 1))
    source = tmp_path / "handbook.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    (image,) = tmp_path.glob("page*.png")
    assert image.stat().st_size > 2000


def _long_handbook_pdf(world) -> bytes:
    """A handbook of several pages: many activities of the year."""
    for day in range(1, 61):
        activity = factories.ActivityFactory(term=world["term"], kind=ActivityKind.INSPECTION,
                                             date=dt.date(2024, 1 + day % 12, 1 + day % 27), title=f"视察第{day}项工作")
        factories.ParticipationFactory(activity=activity, deputy=world["zhang"])
    return render_pdf(handbook_build(deputy=world["zhang"], year=2024, today=dt.date(2026, 3, 1)),
                      printed_on=dt.date(2026, 3, 1))


def test_every_page_footer_tells_the_page_and_the_total(world):
    reader = PdfReader(io.BytesIO(_long_handbook_pdf(world)))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"第 {number} / {total} 页" in page.extract_text()


def _embedded_fonts(content: bytes) -> dict[str, bool]:
    """Font name → embedded (a FontFile, FontFile2 or FontFile3 in its descriptor), of every page."""
    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            embedded = False
            for item in described:
                descriptor = item.get("/FontDescriptor")
                if descriptor is not None:
                    descriptor = descriptor.get_object()
                    embedded = embedded or any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def test_the_chinese_font_is_embedded_when_a_truetype_cjk_font_is_installed(world, activity, tmp_path):
    pdf_font.cache_clear()
    try:
        if pdf_font() == CID_FONT:
            pytest.skip("no TrueType CJK font installed (apt-get install fonts-wqy-microhei): "
                        "the PDF names STSong-Light without embedding it")
        content = render_pdf(handbook_build(deputy=world["zhang"], year=2024, today=dt.date(2026, 3, 1)),
                             printed_on=dt.date(2026, 3, 1))
    finally:
        pdf_font.cache_clear()
    fonts = _embedded_fonts(content)
    assert fonts and all(fonts.values()), fonts
    assert b"/STSong-Light" not in content
    assert "张东" in text_of(content)
    if shutil.which("pdffonts") is not None:  # poppler's own word on it
        source = tmp_path / "handbook.pdf"
        source.write_bytes(content)
        listing = subprocess.run(["pdffonts", str(source)], check=True, capture_output=True, text=True,
                                 timeout=60).stdout.splitlines()
        rows = [line.split() for line in listing[2:] if line.strip()]
        assert rows and all(row[-5] == "yes" for row in rows), listing  # the "emb" column


def test_the_handbook_page_names_the_pdfs_font_and_where_it_came_from(login, world, monkeypatch, settings):
    page = reverse("oversight:handbook", args=[world["zhang"].pk])
    pdf_font.cache_clear()
    try:
        text = login(Role.LIAISON_OFFICE).get(page, {"year": 2024}).text
        if pdf_font() == CID_FONT:
            assert "PDF 字体:STSong-Light(reportlab 内置,未嵌入" in text and "fonts-wqy-microhei" in text
        else:
            assert "(已嵌入;来自" in text
        monkeypatch.setattr(handbook_pdf, "SYSTEM_TRUETYPE_CJK", ())
        settings.DUTYADMIN_PDF_FONT = ""
        pdf_font.cache_clear()
        text = login(Role.LIAISON_OFFICE).get(page, {"year": 2024}).text
        assert "PDF 字体:STSong-Light(reportlab 内置,未嵌入,由阅读软件提供字形" in text
    finally:
        pdf_font.cache_clear()
