"""The charts of the statistics: SVG for the pages, PNG (with the CJK font) for DOCX."""

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageChops

from huanjie.documents import charts, fonts

SVG_NS = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

TOWNSHIPS = ["湘龙街道", "泉塘街道", "长龙街道"]
BANDS = ["30岁以下", "30-35", "36-40", "41-45", "46-50", "51-55", "55岁以上"]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return [t.text for t in root.iter(f"{SVG_NS}text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    return Image.open(io.BytesIO(data)).size


def all_charts(no_data=charts.NO_DATA):
    return {
        "bars": charts.bar_chart("参选率", TOWNSHIPS, [0.9, 0.805, 0.7], share=True),
        "counts": charts.bar_chart("落后村数", TOWNSHIPS, [3, 0, 12]),
        "pyramid": charts.pyramid("年龄结构", BANDS, [1, 3, 5, 8, 6, 4, 2], [2, 4, 3, 2, 1, 0, 0]),
        "stacked": charts.stacked_bars(
            "文化程度",
            TOWNSHIPS,
            [("本科", [5, 3, 0]), ("大专", [8, 9, 1]), ("初中及以下", [2, 5, 0])],
        ),
        "line": charts.line_chart(
            "进度", ["03-01", "03-08", "03-15"], [("已完成", [0, 4, 9]), ("应完成", [2, 6, 10])]
        ),
    }


@pytest.mark.parametrize("kind", ["bars", "counts", "pyramid", "stacked", "line"])
def test_svg_parses_and_holds_title(kind):
    chart = all_charts()[kind]
    svg = charts.svg(chart)
    found = texts(svg)
    assert chart.title in found
    assert not chart.empty
    root = ET.fromstring(svg)
    assert root.get("width") == str(chart.width)
    assert "WenQuanYi Zen Hei" in root.get("font-family")


def test_bar_chart_labels_and_percentages():
    found = texts(charts.svg(all_charts()["bars"]))
    for township in TOWNSHIPS:
        assert township in found
    assert "90.0%" in found and "80.5%" in found and "100%" in found


def test_pyramid_labels_sides_and_order():
    chart = all_charts()["pyramid"]
    found = texts(charts.svg(chart))
    assert "男" in found and "女" in found
    bands = [t for t in found if t in BANDS]
    assert bands == list(reversed(BANDS))  # the oldest on top


def test_stacked_bars_write_shares_and_totals():
    found = texts(charts.svg(all_charts()["stacked"]))
    assert {"本科", "大专", "初中及以下"} <= set(found)
    assert "15" in found  # 5 + 8 + 2 in 湘龙街道
    assert "33.3%" in found  # 5 of 15


def test_line_chart_labels():
    found = texts(charts.svg(all_charts()["line"]))
    assert {"03-01", "03-15", "已完成", "应完成"} <= set(found)


def test_text_is_escaped():
    svg = charts.svg(charts.bar_chart("<b>&", ["a<b"], [1]))
    assert "<b>" not in svg
    assert "a<b" in texts(svg)


@pytest.mark.parametrize("kind", ["bars", "counts", "pyramid", "stacked", "line"])
def test_png_signature_and_size(kind):
    chart = all_charts()[kind]
    assert png_size(charts.png(chart)) == (chart.width * 2, chart.height * 2)
    assert png_size(charts.png(chart, scale=1)) == (chart.width, chart.height)


def test_height_grows_with_rows():
    one = charts.bar_chart("t", ["a"], [1])
    three = charts.bar_chart("t", ["a", "b", "c"], [1, 2, 3])
    assert three.height - one.height == 2 * charts.ROW


def test_png_renders_chinese_glyphs():
    """Two different ideographs give two different pictures: the font has the glyphs
    (a font without them draws the same empty box for both)."""
    assert fonts.FONT_FILE.endswith(".ttc")
    first = charts.png(charts.bar_chart("村", ["村"], [1]))
    second = charts.png(charts.bar_chart("社", ["社"], [1]))
    a = Image.open(io.BytesIO(first)).convert("RGB")
    b = Image.open(io.BytesIO(second)).convert("RGB")
    assert ImageChops.difference(a, b).getbbox() is not None
    # and the title is ink, not blank
    title = a.crop((0, 0, 200, 100))
    assert title.getextrema() != ((255, 255), (255, 255), (255, 255))


@pytest.mark.parametrize(
    "chart",
    [
        charts.bar_chart("参选率", [], []),
        charts.bar_chart("参选率", TOWNSHIPS, [0, 0, 0], share=True),
        charts.pyramid("年龄结构", BANDS, [0] * 7, [0] * 7),
        charts.pyramid("年龄结构", [], [], []),
        charts.stacked_bars("文化程度", [], []),
        charts.stacked_bars("文化程度", TOWNSHIPS, [("本科", [0, 0, 0])]),
        charts.line_chart("进度", [], []),
        charts.line_chart("进度", ["03-01"], [("已完成", [0])]),
    ],
)
def test_empty_data_says_no_data(chart):
    assert chart.empty
    assert charts.NO_DATA in texts(charts.svg(chart))
    assert png_size(charts.png(chart)) == (chart.width * 2, chart.height * 2)


def test_no_data_text_is_the_callers():
    chart = charts.bar_chart("Turnout", [], [], no_data="No data")
    assert "No data" in texts(charts.svg(chart))


def test_one_point_line_and_mismatched_data():
    chart = charts.line_chart("进度", ["03-01"], [("已完成", [3])])
    assert not chart.empty
    assert png_size(charts.png(chart))
    with pytest.raises(ValueError):
        charts.bar_chart("t", ["a", "b"], [1])
    with pytest.raises(ValueError):
        charts.pyramid("t", ["a"], [1, 2], [1])


@pytest.mark.parametrize(
    "top, expected",
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (12, [0, 5, 10, 15]), (100, [0, 20, 40, 60, 80, 100])],
)
def test_ticks(top, expected):
    assert charts.ticks(top) == expected


def test_missing_font_is_named(monkeypatch):
    monkeypatch.setattr(fonts, "FONT_FILE", "/nonexistent/font.ttc")
    with pytest.raises(fonts.FontMissing, match="fonts-wqy-zenhei"):
        charts.png(charts.bar_chart("t", ["a"], [1]))
