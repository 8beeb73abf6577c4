"""Line charts of weekly percentages as inline SVG. Pure Python: no ORM, no request.

The markup carries its own title and description (``role="img"``, ``aria-labelledby``);
the page shows the same numbers in a table next to it. Series differ by colour *and*
by dash pattern and marker, so they read apart without colour too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 16, 36
COLOURS = ("#1b6ac9", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")
MARKERS = ("circle", "square", "diamond")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[float | None]  # one percentage (0-100) per week; None: no data


def line_chart(
    *, chart_id: str, title: str, description: str, weeks: Sequence[date], series: Sequence[Series]
) -> str:
    """SVG markup of ``series`` over ``weeks`` on a 0-100 % axis; escaped, ready to embed."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(weeks) - 1) if len(weeks) > 1 else plot_w / 2)

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - percent / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="insight-chart" id="{escape(chart_id)}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img"'
        f' aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for percent in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(percent):.1f}" y2="{y(percent):.1f}"'
            ' stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(percent) + 4:.1f}" text-anchor="end"'
            f' font-size="11" fill="#555">{percent}%</text>'
        )
    step = max(1, len(weeks) // 8)  # at most about eight dates under the axis
    for i, week in enumerate(weeks):
        if i % step == 0 or i == len(weeks) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle"'
                f' font-size="11" fill="#555">{week.isoformat()[5:]}</text>'
            )
    for n, one in enumerate(series):
        parts.extend(_series(n, one, x, y))
    parts.append("</svg>")
    return "".join(parts)


def _series(
    n: int, series: Series, x: Callable[[int], float], y: Callable[[float], float]
) -> list[str]:
    colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
    marker = MARKERS[n % len(MARKERS)]
    parts: list[str] = []
    run: list[str] = []
    points = list(enumerate(series.points))
    for i, percent in [*points, (len(points), None)]:
        if percent is None:  # a week without data breaks the line
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}"'
                    f' stroke-width="2"{_dashed(dash)}/>'
                )
            run = []
            continue
        run.append(f"{x(i):.1f},{y(percent):.1f}")
        parts.append(_marker(marker, x(i), y(percent), colour))
    legend_y = TOP + 14 + 18 * n
    legend_x = WIDTH - RIGHT + 12
    parts.append(
        f'<line x1="{legend_x}" x2="{legend_x + 20}" y1="{legend_y - 4}" y2="{legend_y - 4}"'
        f' stroke="{colour}" stroke-width="2"{_dashed(dash)}/>'
        + _marker(marker, legend_x + 10, legend_y - 4, colour)
        + f'<text x="{legend_x + 26}" y="{legend_y}" font-size="12" fill="#222">'
        f"{escape(series.label)}</text>"
    )
    return parts


def _dashed(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _marker(kind: str, cx: float, cy: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{cx - 3:.1f}" y="{cy - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{cx:.1f},{cy - 4:.1f} {cx + 4:.1f},{cy:.1f} {cx:.1f},{cy + 4:.1f}'
            f' {cx - 4:.1f},{cy:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>'
