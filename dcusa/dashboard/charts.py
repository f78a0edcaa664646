"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable without colour.

Every chart is an <svg role="img"> with a <title> and a <desc> (its accessible name and summary),
labels and numbers written next to the bars, and a <title> on each bar for a tooltip. The
numbers come in as plain data; each chart on a page has a table (CSV) with the same numbers.
Widths are in SVG units drawn at 1:1 up to the container width, so text stays ~13px on a laptop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1b1f24"
MUTED = "#5b6570"
GRID = "#d5dbe1"
BAR = "#0b5cad"
# Distinguishable for common colour-vision deficiencies (Okabe-Ito), darkened for contrast.
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6f00", "#666666")


def _e(value: object) -> str:
    return str(escape(str(value)))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_e(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" '
        f'font-family="{_e(FONT)}" font-size="13">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
    ]


def _scale(maximum: int, room: float) -> float:
    return room / maximum if maximum > 0 else 0.0


def _nice_ticks(maximum: int, count: int = 4) -> list[int]:
    """Whole-number gridlines: 0 and a few round steps up to at least the maximum."""
    if maximum <= 0:
        return [0]
    raw = maximum / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(int(step), 1)
    return list(range(0, maximum + step, step))


# -- a horizontal bar chart ----------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    desc: str,
    unit: str = "",
    width: int = 760,
    label_width: int = 320,
) -> SafeString:
    """One row per bar: the label on the left, the bar, and its count at the end."""
    row, top, bottom = 26, 8, 26
    height = top + max(len(bars), 1) * row + bottom
    plot = width - label_width - 56
    ticks = _nice_ticks(max((b.value for b in bars), default=0))
    scale = _scale(ticks[-1], plot)
    out = _open(chart_id, width, height, title, desc)
    base_y = top + len(bars) * row
    for t in ticks:
        x = label_width + t * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base_y}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{base_y + 16}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{t}</text>'
        )
    if not bars:
        out.append(f'<text x="{label_width}" y="{top + 17}" fill="{MUTED}">Nothing to show.</text>')
    for i, b in enumerate(bars):
        y = top + i * row
        w = b.value * scale
        tip = f"{b.label}: {b.value}{' ' + unit if unit else ''}"
        out.append(f'<g class="bar"><title>{_e(tip)}</title>')
        out.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{INK}">'
            f"{_e(_clip(b.label, 44))}</text>"
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 5}" width="{max(w, 1 if b.value else 0):.1f}" '
            f'height="{row - 10}" fill="{BAR}" rx="2"/>'
        )
        out.append(
            f'<text x="{label_width + w + 6:.1f}" y="{y + 17}" fill="{INK}" '
            f'font-weight="600">{b.value}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text and attribute above is escaped


# -- a stacked bar per row (time per stage) ----------------------------------------------------


@dataclass(frozen=True)
class Segment:
    key: str  # which legend entry (its colour)
    label: str
    value: int


@dataclass(frozen=True)
class StackedRow:
    label: str
    segments: Sequence[Segment]
    marker: int | None = None  # where the plan ends, in the same unit
    note: str = ""


def stacked_bar_chart(
    rows: Sequence[StackedRow],
    *,
    legend: Sequence[tuple[str, str]],
    chart_id: str,
    title: str,
    desc: str,
    unit: str = "Working Days",
    marker_label: str = "planned",
    width: int = 760,
    label_width: int = 110,
) -> SafeString:
    """Segments laid end to end in order; a dark tick marks the planned end where there is one."""
    colours = {key: PALETTE[i % len(PALETTE)] for i, (key, _) in enumerate(legend)}
    legend_rows = 1 + (len(legend) - 1) // 4 if legend else 0
    legend_h = legend_rows * 20 + 10
    row, bottom = 30, 30
    top = legend_h
    height = top + max(len(rows), 1) * row + bottom
    plot = width - label_width - 150
    longest = max(
        [sum(s.value for s in r.segments) for r in rows] + [r.marker or 0 for r in rows] + [0]
    )
    ticks = _nice_ticks(longest)
    scale = _scale(ticks[-1], plot)
    out = _open(chart_id, width, height, title, desc)
    for i, (key, label) in enumerate(legend):
        lx = 8 + (i % 4) * (width - 16) / 4
        ly = 6 + (i // 4) * 20
        out.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colours[key]}"/>'
            f'<text x="{lx + 17:.1f}" y="{ly + 11}" fill="{INK}" font-size="12">{_e(label)}</text>'
        )
    base_y = top + len(rows) * row
    for t in ticks:
        x = label_width + t * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base_y}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{base_y + 16}" text-anchor="middle" fill="{MUTED}" '
            f'font-size="11">{t}</text>'
        )
    out.append(
        f'<text x="{label_width + plot:.1f}" y="{base_y + 28}" text-anchor="end" fill="{MUTED}" '
        f'font-size="11">{_e(unit)}</text>'
    )
    if not rows:
        out.append(f'<text x="{label_width}" y="{top + 19}" fill="{MUTED}">Nothing to show.</text>')
    for i, r in enumerate(rows):
        y = top + i * row
        total = sum(s.value for s in r.segments)
        out.append(f'<g class="row"><title>{_e(r.label)}: {total} {_e(unit)}</title>')
        out.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" fill="{INK}" '
            f'font-weight="600">{_e(_clip(r.label, 14))}</text>'
        )
        x = float(label_width)
        for s in r.segments:
            w = s.value * scale
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 6}" width="{w:.1f}" height="{row - 12}" '
                    f'fill="{colours.get(s.key, MUTED)}" stroke="#fff" stroke-width="1">'
                    f"<title>{_e(s.label)}: {s.value} {_e(unit)}</title></rect>"
                )
            x += w
        if r.marker is not None:
            mx = label_width + r.marker * scale
            out.append(
                f'<line x1="{mx:.1f}" y1="{y + 2}" x2="{mx:.1f}" y2="{y + row - 2}" stroke="{INK}" '
                f'stroke-width="3"><title>{_e(marker_label)}: {r.marker} {_e(unit)}</title></line>'
            )
        text = f"{total}" + (f" · {r.note}" if r.note else "")
        out.append(
            f'<text x="{max(x, label_width + (r.marker or 0) * scale) + 6:.1f}" y="{y + 19}" '
            f'fill="{INK}" font-size="12">{_e(_clip(text, 28))}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text and attribute above is escaped


# -- small bars: Groups voted out of Groups eligible -------------------------------------------


@dataclass(frozen=True)
class Share:
    label: str
    part: int
    whole: int


def share_bars(
    shares: Sequence[Share],
    *,
    chart_id: str,
    title: str,
    desc: str,
    width: int = 440,
    label_width: int = 170,
) -> SafeString:
    """One small bar per row: the filled part out of the whole, with "part / whole" written."""
    row = 22
    height = max(len(shares), 1) * row + 4
    plot = width - label_width - 70
    out = _open(chart_id, width, height, title, desc)
    for i, s in enumerate(shares):
        y = 2 + i * row
        filled = plot * s.part / s.whole if s.whole else 0
        out.append(f'<g class="share"><title>{_e(s.label)}: {s.part} of {s.whole}</title>')
        out.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">'
            f"{_e(_clip(s.label, 24))}</text>"
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{plot}" height="{row - 8}" fill="#eef2f6" '
            f'stroke="{GRID}"/>'
            f'<rect x="{label_width}" y="{y + 4}" width="{filled:.1f}" height="{row - 8}" '
            f'fill="{BAR}"/>'
        )
        out.append(
            f'<text x="{label_width + plot + 8}" y="{y + 15}" fill="{INK}" font-weight="600">'
            f"{s.part} / {s.whole}</text></g>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text and attribute above is escaped
