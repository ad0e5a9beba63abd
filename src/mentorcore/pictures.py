"""A program description's pictures, drawn as self-contained SVG.

:func:`svg` draws a :class:`~mentorcore.description.CycleDiagram` (a process
model's phases on a ring, with the arrow from the last back to the first
where the model repeats), a :class:`~mentorcore.description.StageStrip` (a
rubric's stages left to right under their group titles) or a
:class:`~mentorcore.description.BarChart` (prices by package and
membership). Each drawing is one ``<svg>`` element with a ``viewBox`` and no
fixed size, so it scales to a phone's width and to paper; it uses the
surrounding text colour (``currentColor``), so it reads in light, dark and
printed pages; it names itself to assistive technology (``role="img"``,
``aria-label``, ``<title>`` and ``<desc>`` with the text alternative); and it
needs nothing fetched, at build time or when viewed.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from mentorcore.description import (
    BarChart,
    CycleDiagram,
    Picture,
    StageGroup,
    StageStrip,
    money,
)

__all__ = ["narrow_svg", "svg"]

_FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""
_CHAR = 0.56  # average advance of a character, in ems, to fit words in boxes


def _wrap(text: str, size: float, width: float) -> list[str]:
    """Words of ``text`` in lines no wider than ``width`` at font ``size`` (estimated)."""
    most = max(1, int(width / (size * _CHAR)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, lines: Sequence[str], size: float, **attributes: str) -> str:
    """Lines of text centred on ``(x, y)``."""
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attributes.items())
    step = size * 1.2
    top = y - step * (len(lines) - 1) / 2
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + index * step:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text font-size="{size}" text-anchor="middle" dominant-baseline="middle"{extra}>'
        f"{spans}</text>"
    )


def _frame(
    picture: Picture,
    width: float,
    height: float,
    body: str,
    left: float = 0,
    top: float = 0,
    variant: str = "",
) -> str:
    key = f"{picture.type}:{variant}:{picture.alt}"
    ident = "mc-" + hashlib.sha1(key.encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{left:.0f} {top:.0f} {width:.0f} {height:.0f}" '
        f'role="img" aria-label="{escape(picture.title)}" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="mentorcore-svg" '
        f'style="width:100%;height:auto;max-width:{width / 16:.1f}em" {_FONT} '
        f'fill="currentColor">'
        f'<title id="{ident}-title">{escape(picture.title)}</title>'
        f'<desc id="{ident}-desc">{escape(picture.alt)}</desc>'
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>'
        f"{body.replace('{arrow}', f'url(#{ident}-arrow)')}</svg>"
    )


# -- a cycle ------------------------------------------------------------------------


def _outside(x: float, y: float, box: tuple[float, float, float, float], pad: float) -> bool:
    left, top, width, height = box
    return not (left - pad <= x <= left + width + pad and top - pad <= y <= top + height + pad)


def _cycle(picture: CycleDiagram) -> str:
    count = len(picture.steps)
    size, box_width = 18.0, 140.0
    radius = 175.0 if count > 4 else 140.0
    labels = [
        _wrap(f"{index}. {step}", size, box_width - 10)
        for index, step in enumerate(picture.steps, start=1)
    ]
    box_height = size * 1.2 * max((len(lines) for lines in labels), default=1) + 18
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(count)]
    cx = cy = 0.0
    centres = [(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles]
    boxes = [(x - box_width / 2, y - box_height / 2, box_width, box_height) for x, y in centres]
    points = [(left, top) for left, top, _, _ in boxes]
    points += [(left + width, top + height) for left, top, width, height in boxes]
    parts: list[str] = []
    pairs = list(range(count - 1)) + ([count - 1] if picture.repeats and count > 1 else [])
    step = math.radians(0.5)
    for index in pairs:
        following = (index + 1) % count
        start, end = angles[index], angles[following]
        if end <= start:
            end += 2 * math.pi
        leave = start
        while leave < end and not _outside(
            cx + radius * math.cos(leave), cy + radius * math.sin(leave), boxes[index], 6
        ):
            leave += step
        arrive = end
        while arrive > leave and not _outside(
            cx + radius * math.cos(arrive), cy + radius * math.sin(arrive), boxes[following], 6
        ):
            arrive -= step
        angle = leave
        while angle <= arrive:
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
            angle += step * 4
        x1, y1 = cx + radius * math.cos(leave), cy + radius * math.sin(leave)
        x2, y2 = cx + radius * math.cos(arrive), cy + radius * math.sin(arrive)
        back = ' stroke-dasharray="7 5"' if following == 0 else ""
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} A{radius:.0f},{radius:.0f} 0 0 1 {x2:.1f},{y2:.1f}" '
            f'fill="none" stroke="currentColor" stroke-width="2.5" '
            f'marker-end="{{arrow}}"{back}/>'
        )
    for (left, top, width, height), lines, (x, y) in zip(boxes, labels, centres, strict=True):
        parts.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.0f}" height="{height:.0f}" '
            f'rx="10" fill="currentColor" fill-opacity="0.07" stroke="currentColor" '
            f'stroke-width="2"/>'
        )
        parts.append(_text(x, y, lines, size, font_weight="600"))
    centre = "repeats as a cycle" if picture.repeats else "runs once, in order"
    parts.append(_text(cx, cy, _wrap(centre, 17, radius), 17, fill_opacity="0.8"))
    margin = 10.0
    low_x = min(x for x, _ in points) - margin
    low_y = min(y for _, y in points) - margin
    high_x = max(x for x, _ in points) + margin
    high_y = max(y for _, y in points) + margin
    return _frame(picture, high_x - low_x, high_y - low_y, "".join(parts), left=low_x, top=low_y)


def _flow(picture: CycleDiagram) -> str:
    """The phases top to bottom, for a phone; a cycle's arrow back runs up the right side."""
    size, box_width, gap, left = 19.0, 230.0, 34.0, 10.0
    parts: list[str] = []
    top = 10.0
    boxes: list[tuple[float, float]] = []
    for index, step in enumerate(picture.steps, start=1):
        lines = _wrap(f"{index}. {step}", size, box_width - 16)
        height = size * 1.2 * len(lines) + 18
        if boxes:
            parts.append(
                f'<path d="M{left + box_width / 2:.1f},{top - gap + 4:.1f} '
                f'V{top - 6:.1f}" fill="none" stroke="currentColor" stroke-width="2.5" '
                f'marker-end="{{arrow}}"/>'
            )
        parts.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{box_width:.0f}" height="{height:.0f}" '
            f'rx="10" fill="currentColor" fill-opacity="0.07" stroke="currentColor" '
            f'stroke-width="2"/>'
        )
        parts.append(_text(left + box_width / 2, top + height / 2, lines, size, font_weight="600"))
        boxes.append((top, height))
        top += height + gap
    width = left + box_width + 10
    if picture.repeats and len(boxes) > 1:
        first_top, first_height = boxes[0]
        last_top, last_height = boxes[-1]
        side = left + box_width + 34
        y1, y2 = last_top + last_height / 2, first_top + first_height / 2
        parts.append(
            f'<path d="M{left + box_width + 4:.1f},{y1:.1f} H{side:.1f} V{y2:.1f} '
            f'H{left + box_width + 8:.1f}" fill="none" stroke="currentColor" stroke-width="2.5" '
            f'stroke-dasharray="7 5" marker-end="{{arrow}}"/>'
        )
        parts.append(
            f'<text x="{side + 16:.1f}" y="{(y1 + y2) / 2:.1f}" font-size="16" '
            f'text-anchor="middle" dominant-baseline="middle" '
            f'transform="rotate(-90 {side + 16:.1f} {(y1 + y2) / 2:.1f})">'
            f"back to {escape(picture.steps[0])}: repeats</text>"
        )
        width = side + 30
    return _frame(picture, width, top - gap + 10, "".join(parts), variant="narrow")


# -- a strip of stages ----------------------------------------------------------------


_STAGE_WIDTH, _STAGE_HEIGHT, _NOTCH = 120.0, 64.0, 10.0


def _strip_row(
    groups: Sequence[StageGroup], top: float, first: int, total: int, grouped: bool
) -> tuple[list[str], float]:
    """One row of chevrons under their group brackets; returns the parts and the row's bottom."""
    size = 16.0
    parts: list[str] = []
    if grouped:
        top += 44.0
    x = 8.0
    for group in groups:
        span = _STAGE_WIDTH * len(group.stages)
        if group.title:
            parts.append(
                f'<path d="M{x + 4:.1f},{top - 10:.1f} V{top - 18:.1f} H{x + span - 4:.1f} '
                f'V{top - 10:.1f}" fill="none" stroke="currentColor" stroke-width="2"/>'
            )
            parts.append(
                _text(x + span / 2, top - 32, _wrap(group.title, 16, span), 16, font_weight="700")
            )
        x += span
    stages = [stage for group in groups for stage in group.stages]
    for offset, stage in enumerate(stages):
        index = first + offset
        left = 8.0 + offset * _STAGE_WIDTH
        right = left + _STAGE_WIDTH - 4
        mid = top + _STAGE_HEIGHT / 2
        inner = left + _NOTCH if index else left
        points = [
            (left, top),
            (right - _NOTCH, top),
            (right, mid),
            (right - _NOTCH, top + _STAGE_HEIGHT),
            (left, top + _STAGE_HEIGHT),
            (inner, mid),
        ]
        shade = 0.04 + 0.3 * index / max(1, total - 1)
        parts.append(
            '<polygon points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            + f'" fill="currentColor" fill-opacity="{shade:.2f}" stroke="currentColor" '
            'stroke-width="2"/>'
        )
        label = _wrap(stage, size, _STAGE_WIDTH - 2 * _NOTCH - 6)
        centre = left + _STAGE_WIDTH / 2 + _NOTCH / 2
        parts.append(_text(centre, mid, label, size, font_weight="600"))
    return parts, top + _STAGE_HEIGHT


def _strip(picture: StageStrip, rows: Sequence[Sequence[StageGroup]], variant: str = "") -> str:
    grouped = any(group.title for group in picture.groups)
    total = sum(len(group.stages) for group in picture.groups)
    parts: list[str] = []
    bottom, first, widest = 0.0, 0, 0
    for row in rows:
        drawn, bottom = _strip_row(row, bottom + 8, first, total, grouped)
        parts.extend(drawn)
        count = sum(len(group.stages) for group in row)
        first += count
        widest = max(widest, count)
    width = 16.0 + _STAGE_WIDTH * widest
    return _frame(picture, width, bottom + 8, "".join(parts), variant=variant)


def narrow_svg(picture: Picture) -> str | None:
    """A narrower drawing of the picture for a phone's width, or ``None`` when ``svg`` will do.

    A cycle is drawn top to bottom, with its arrow back up the side; a chart
    as horizontal bars, a group per category; a strip of more than three
    stages in several groups one group a row. The
    page shows it instead of the wide one on a narrow screen.
    """
    if isinstance(picture, CycleDiagram):
        return _flow(picture) if len(picture.steps) > 2 else None
    if isinstance(picture, BarChart):
        return _bars(picture)
    total = sum(len(group.stages) for group in picture.groups)
    if total <= 3 or len(picture.groups) < 2:
        return None
    return _strip(picture, [[group] for group in picture.groups], variant="narrow")


# -- a bar chart ----------------------------------------------------------------------


def _ceiling(value: Decimal) -> tuple[Decimal, Decimal]:
    """A round top for the axis and the step of its grid lines."""
    if value <= 0:
        return Decimal(1), Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for factor in (1, 2, 5, 10):
        step = magnitude * factor / 2
        top = (value / step).to_integral_value(rounding="ROUND_CEILING") * step
        if top / step <= 8:
            return top, step
    return value, value  # pragma: no cover


def _chart(picture: BarChart) -> str:
    size = 16.0
    left, right, legend, bottom = 64.0, 12.0, 40.0, 44.0
    plot_height = 220.0
    width = max(440.0, left + right + 150.0 * len(picture.categories))
    values = [v for bar in picture.series for v in bar.values if v is not None]
    top_value, step = _ceiling(max(values, default=Decimal(0)))
    plot_width = width - left - right
    y0 = legend + plot_height

    def y(value: Decimal) -> float:
        return y0 - float(value / top_value) * plot_height

    parts: list[str] = []
    tick = Decimal(0)
    while tick <= top_value:
        parts.append(
            f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="currentColor" stroke-opacity="0.2"/>'
        )
        parts.append(
            f'<text x="{left - 6:.1f}" y="{y(tick):.1f}" font-size="13" text-anchor="end" '
            f'dominant-baseline="middle">{escape(f"{int(tick):,}")}</text>'
        )
        tick += step
    parts.append(f'<text x="4" y="{legend - 14:.1f}" font-size="13">{escape(picture.unit)}</text>')
    group_width = plot_width / max(1, len(picture.categories))
    count = max(1, len(picture.series))
    bar_width = group_width * 0.78 / count
    for group, category in enumerate(picture.categories):
        start = left + group * group_width + group_width * 0.11
        for index, bar in enumerate(picture.series):
            value = bar.values[group]
            x = start + index * bar_width
            shade = 0.85 if index == 0 else 0.3 + 0.4 * index / count
            if value is None:
                parts.append(_text(x + bar_width / 2, y0 - 10, ["—"], 14))
                continue
            parts.append(
                f'<rect x="{x + 2:.1f}" y="{y(value):.1f}" width="{bar_width - 4:.1f}" '
                f'height="{y0 - y(value):.1f}" fill="currentColor" fill-opacity="{shade:.2f}" '
                f'stroke="currentColor" stroke-width="1.5"/>'
            )
            amount = money(value).removesuffix(".00")
            parts.append(_text(x + bar_width / 2, y(value) - 10, [amount], 13))
        parts.append(
            _text(left + (group + 0.5) * group_width, y0 + 20, [category], size, font_weight="600")
        )
    parts.append(
        f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y0:.1f}" y2="{y0:.1f}" '
        'stroke="currentColor" stroke-width="2"/>'
    )
    x = left
    for index, bar in enumerate(picture.series):
        shade = 0.85 if index == 0 else 0.3 + 0.4 * index / count
        parts.append(
            f'<rect x="{x:.1f}" y="6" width="16" height="16" fill="currentColor" '
            f'fill-opacity="{shade:.2f}" stroke="currentColor" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{x + 22:.1f}" y="14" font-size="{size}" dominant-baseline="middle">'
            f"{escape(bar.label)}</text>"
        )
        x += 22 + len(bar.label) * size * _CHAR + 24
    return _frame(picture, width, y0 + bottom, "".join(parts))


def _bars(picture: BarChart) -> str:
    """The chart as horizontal bars, a group per category, for a phone."""
    width, left, room = 330.0, 10.0, 235.0
    values = [v for bar in picture.series for v in bar.values if v is not None]
    top_value = max(values, default=Decimal(1)) or Decimal(1)
    count = max(1, len(picture.series))
    parts: list[str] = []
    x = left
    for index, bar in enumerate(picture.series):
        shade = 0.85 if index == 0 else 0.3 + 0.4 * index / count
        parts.append(
            f'<rect x="{x:.1f}" y="8" width="16" height="16" fill="currentColor" '
            f'fill-opacity="{shade:.2f}" stroke="currentColor" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{x + 22:.1f}" y="16" font-size="17" dominant-baseline="middle">'
            f"{escape(bar.label)}</text>"
        )
        x += 22 + len(bar.label) * 17 * _CHAR + 24
    y = 40.0
    for group, category in enumerate(picture.categories):
        parts.append(
            f'<text x="{left:.1f}" y="{y + 12:.1f}" font-size="18" font-weight="700" '
            f'dominant-baseline="middle">{escape(category)}</text>'
        )
        y += 28
        for index, bar in enumerate(picture.series):
            value = bar.values[group]
            shade = 0.85 if index == 0 else 0.3 + 0.4 * index / count
            if value is None:
                parts.append(
                    f'<text x="{left:.1f}" y="{y + 11:.1f}" font-size="17" '
                    f'dominant-baseline="middle">—</text>'
                )
            else:
                length = float(value / top_value) * room
                parts.append(
                    f'<rect x="{left:.1f}" y="{y:.1f}" width="{length:.1f}" height="22" '
                    f'fill="currentColor" fill-opacity="{shade:.2f}" stroke="currentColor" '
                    f'stroke-width="1.5"/>'
                )
                amount = money(value).removesuffix(".00")
                parts.append(
                    f'<text x="{left + length + 6:.1f}" y="{y + 11:.1f}" font-size="17" '
                    f'dominant-baseline="middle">{escape(amount)}</text>'
                )
            y += 28
        y += 10
    parts.append(
        f'<text x="{width - 6:.1f}" y="{y:.1f}" font-size="14" text-anchor="end">'
        f"{escape(picture.unit)}</text>"
    )
    return _frame(picture, width, y + 8, "".join(parts), variant="narrow")


def svg(picture: Picture) -> str:
    """The picture as one self-contained, scalable ``<svg>`` element with its text alternative."""
    if isinstance(picture, CycleDiagram):
        return _cycle(picture)
    if isinstance(picture, StageStrip):
        return _strip(picture, [picture.groups])
    return _chart(picture)
