"""The Health Index charts: SVG geometry, gaps where a week has no score, escaping, accessibility."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from mitra.health import charts

NS = {"s": "http://www.w3.org/2000/svg"}
MONDAY = dt.date(2026, 1, 5)


def weeks(*scores: float | None) -> list[tuple[dt.date, float | None]]:
    return [(MONDAY + dt.timedelta(weeks=i), s) for i, s in enumerate(scores)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def polylines(root: ET.Element, css: str) -> list[list[tuple[float, float]]]:
    out = []
    for line in root.iterfind("s:polyline", NS):
        if line.get("class") == css:
            pairs = (p.split(",") for p in (line.get("points") or "").split())
            out.append([(float(x), float(y)) for x, y in pairs])
    return out


def test_the_sparkline_spans_its_box_and_higher_scores_sit_higher():
    root = parse(charts.sparkline(weeks(20, 60, 100), label="Score"))
    assert root.get("role") == "img" and root.get("aria-label") == "Score"
    assert root.find("s:title", NS).text == "Score"
    [line] = polylines(root, "health-spark__line")
    (x0, y0), (x1, y1), (x2, y2) = line
    pad, w, h = charts.SPARK_PAD, charts.SPARK_WIDTH, charts.SPARK_HEIGHT
    assert (x0, x2) == (pad, w - pad) and x1 == w / 2
    assert y2 == pad and y0 > y1 > y2  # 100 at the top; SVG y grows downwards
    assert y0 == h - pad - 0.2 * (h - 2 * pad)
    last = [c for c in root.iterfind("s:circle", NS) if c.get("class") == "health-spark__last"]
    assert [(float(c.get("cx")), float(c.get("cy"))) for c in last] == [(x2, y2)]


def test_a_week_without_a_score_breaks_the_sparkline_instead_of_dropping_to_zero():
    root = parse(charts.sparkline(weeks(50, 55, None, 70, 75, None, 40)))
    lines = polylines(root, "health-spark__line")
    assert len(lines) == 2 and [len(line) for line in lines] == [2, 2]
    lone = [c for c in root.iterfind("s:circle", NS) if c.get("class") == "health-spark__point"]
    assert len(lone) == 1  # the single scored week at the end is a dot, not a line
    floor = charts.SPARK_HEIGHT - charts.SPARK_PAD
    assert all(y < floor for line in lines for _x, y in line)


def test_segments_break_on_missing_scores_and_on_missing_weeks():
    points = weeks(10, 20, None, 30)
    points.append((points[-1][0] + dt.timedelta(weeks=3), 40.0))  # two weeks not in the series
    assert charts.segments(points) == [[0, 1], [3], [4]]
    assert charts.segments(weeks(None, None)) == []
    assert charts.segments([]) == []


def test_an_empty_sparkline_is_still_a_labelled_image():
    root = parse(charts.sparkline([], label="No score yet"))
    assert root.get("aria-label") == "No score yet"
    assert root.find("s:polyline", NS) is None and root.find("s:circle", NS) is None


def test_the_trend_chart_has_zones_thresholds_axes_and_a_title_per_scored_week():
    points = weeks(*[60.0 + i for i in range(10)], None, 45.5)
    root = parse(
        charts.trend_chart(
            points,
            50,
            70,
            label="Health score",
            zone_labels=("merah", "kuning", "hijau"),
            number=lambda v: f"{v:.1f}".replace(".", ","),
            date=lambda d: d.strftime("%d/%m"),
        )
    )
    assert root.get("role") == "img" and root.get("aria-label") == "Health score"
    bottom = charts.TREND_HEIGHT - charts.BOTTOM

    def y_of(score: float) -> float:
        return round(bottom - score / 100 * (bottom - charts.TOP), 1)

    zones = {r.get("class").split("--")[1]: r for r in root.iterfind("s:rect", NS)}
    assert float(zones["red"].get("y")) == y_of(50) and float(zones["red"].get("height")) == round(
        bottom - y_of(50), 1
    )
    assert float(zones["amber"].get("y")) == y_of(70)
    assert float(zones["green"].get("y")) == charts.TOP
    texts = [t.text for t in root.iterfind("s:text", NS)]
    assert {"merah", "kuning", "hijau"} <= set(texts)
    assert {"0", "25", "50", "75", "100"} <= set(texts)  # y axis
    assert "05/01" in texts and points[-1][0].strftime("%d/%m") in texts  # first and last week
    thresholds = [
        float(line.get("y1"))
        for line in root.iterfind("s:line", NS)
        if line.get("class") == "health-threshold"
    ]
    assert thresholds == [y_of(50), y_of(70)]
    [line] = polylines(root, "health-trend__line")
    assert len(line) == 10  # the None week cuts the line; the last week stands alone
    dots = [c for c in root.iterfind("s:circle", NS)]
    assert len(dots) == 11
    assert dots[-1].find("s:title", NS).text == f"{points[-1][0].strftime('%d/%m')}: 45,5"
    assert float(dots[-1].get("cx")) == charts.TREND_WIDTH - charts.RIGHT
    assert float(dots[0].get("cx")) == charts.LEFT
    assert float(dots[-1].get("cy")) == y_of(45.5)


def test_scores_outside_0_to_100_stay_inside_the_plot():
    root = parse(charts.trend_chart(weeks(-5, 120), 50, 70))
    ys = [float(c.get("cy")) for c in root.iterfind("s:circle", NS)]
    assert ys == [charts.TREND_HEIGHT - charts.BOTTOM, charts.TOP]


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script> & co'
    svg = charts.trend_chart(
        weeks(55), 50, 70, label=evil, zone_labels=(evil, evil, evil), date=lambda d: evil
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == evil  # the parser unescapes what was escaped
    spark = charts.sparkline(weeks(55), label=evil)
    assert "<script>" not in spark and parse(spark).get("aria-label") == evil
    bar = charts.dimension_bar(40, 50, 70, label=evil)
    assert "<script>" not in bar and parse(bar).get("aria-label") == evil


def test_the_dimension_bar_is_as_long_as_the_value_and_coloured_by_its_band():
    root = parse(charts.dimension_bar(40, 50, 70, label="Breadth 40"))
    fill = next(r for r in root.iterfind("s:rect", NS) if "health-bar__fill" in r.get("class"))
    assert float(fill.get("width")) == 0.4 * charts.BAR_WIDTH
    assert fill.get("class").endswith("--red")
    ticks = [float(t.get("x1")) for t in root.iterfind("s:line", NS)]
    assert ticks == [0.5 * charts.BAR_WIDTH, 0.7 * charts.BAR_WIDTH]
    assert charts.band_of(69.9, 50, 70) == "amber" and charts.band_of(70, 50, 70) == "green"
    assert charts.band_of(None, 50, 70) == "no_data"
    zero = parse(charts.dimension_bar(0, 50, 70))
    assert [float(r.get("width")) for r in zero.iterfind("s:rect", NS)][1] == 0
