"""Charts drawn on the server as SVG with matplotlib's object API (no pyplot, no global state),
cached under a fingerprint of the data they show: a chart is redrawn only when its data changes."""

from __future__ import annotations

import io

from django.core.cache import cache

from .panels import Chart

PALETTE = ["#1d4e89", "#0f766e", "#a4262c", "#8a4b00", "#5b3f8c", "#4a5566", "#17663a"]
CACHE_SECONDS = 60 * 60 * 24 * 30
RENDER_VERSION = "2"  # bump when the drawing code changes, so cached drawings are not reused


def cache_key(chart: Chart) -> str:
    return f"insights:chart:{RENDER_VERSION}:{chart.key}:{chart.fingerprint()}"


def render_svg(chart: Chart) -> bytes:
    # matplotlib is loaded when a chart is first drawn, not when Mentora starts: it is about 0.3 s of every
    # process's start (each web worker, the background worker, every command), and most never draw a chart.
    import matplotlib

    # Text stays text (not glyph outlines): smaller files, selectable labels, and WeasyPrint draws
    # them in a fraction of the time. The salt makes the output the same for the same data.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "mentora",
                                "font.family": ["DejaVu Sans", "sans-serif"]}):
        return _render_svg(chart)


def _render_svg(chart: Chart) -> bytes:
    # (loaded with the first chart: see render_svg)
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 3.4 if chart.kind != "barh" else max(2.4, 0.45 * len(chart.labels) + 1.2)),
                    dpi=100, layout="constrained")
    axes = figure.add_subplot()
    names = list(chart.series)
    positions = list(range(len(chart.labels)))
    if chart.kind == "line":
        for index, name in enumerate(names):
            values = [v if v is not None else float("nan") for v in chart.series[name]]
            axes.plot(positions, values, marker="o", color=PALETTE[index % len(PALETTE)], label=name, linewidth=2)
        axes.set_xticks(positions, chart.labels)
    elif chart.kind == "stacked":
        bottoms = [0.0] * len(chart.labels)
        for index, name in enumerate(names):
            values = [v or 0 for v in chart.series[name]]
            axes.bar(positions, values, bottom=bottoms, color=PALETTE[index % len(PALETTE)], label=name)
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        axes.set_xticks(positions, chart.labels, rotation=30, ha="right")
    else:
        width = 0.8 / max(1, len(names))
        for index, name in enumerate(names):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            values = [v if v is not None else 0 for v in chart.series[name]]
            color = PALETTE[index % len(PALETTE)]
            if chart.kind == "barh":
                axes.barh(offsets, values, height=width, color=color, label=name)
            else:
                axes.bar(offsets, values, width=width, color=color, label=name)
        if chart.kind == "barh":
            axes.set_yticks(positions, chart.labels)
            axes.invert_yaxis()
        else:
            axes.set_xticks(positions, chart.labels, rotation=20 if len(chart.labels) > 4 else 0,
                            ha="right" if len(chart.labels) > 4 else "center")
    value_axis = axes.xaxis if chart.kind == "barh" else axes.yaxis
    value_axis.set_label_text(chart.y_label)
    if chart.percent:
        (axes.set_xlim if chart.kind == "barh" else axes.set_ylim)(0, 100)
    axes.set_title(chart.title, loc="left", fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if len(names) > 1:
        axes.legend(frameon=False, fontsize=8)
    buffer = io.BytesIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    return buffer.getvalue()


def chart_svg(chart: Chart) -> bytes:
    """The chart's SVG, from the cache when its data has not changed since it was last drawn."""
    key = cache_key(chart)
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(chart)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
