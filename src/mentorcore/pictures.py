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

from mentorcore.description import BarChart, CycleDiagram, Picture, StageStrip, money

__all__ = ["svg"]

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


def _frame(picture: Picture, width: float, height: float, body: str) -> str:
    ident = "mc-" + hashlib.sha1(f"{picture.type}:{picture.alt}".encode()).hexdigest()[:10]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
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
    size, box_width = 18.0, 160.0
    radius = 185.0 if count > 4 else 150.0
    labels = [
        _wrap(f"{index}. {step}", size, box_width - 10)
        for index, step in enumerate(picture.steps, start=1)
    ]
    box_height = size * 1.2 * max((len(lines) for lines in labels), default=1) + 18
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(count)]
    half_width = radius + box_width / 2 + 8
    half_height = radius + box_height / 2 + 8
    cx, cy = half_width, half_height
    centres = [(cx + radius * math.cos(a), cy + radius * math.sin(a)) for a in angles]
    boxes = [(x - box_width / 2, y - box_height / 2, box_width, box_height) for x, y in centres]
    parts: list[str] = []
    pairs = list(range(count - 1)) + ([count - 1] if picture.repeats and count > 1 else [])
    for index in pairs:
        following = (index + 1) % count
        start, end = angles[index], angles[following]
        if end <= start:
            end += 2 * math.pi
        step = math.radians(0.5)
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
        x1, y1 = cx + radius * math.cos(leave), cy + radius * math.sin(leave)
        x2, y2 = cx + radius * math.cos(arrive), cy + radius * math.sin(arrive)
        back = ' stroke-dasharray="6 4"' if following == 0 else ""
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
    parts.append(_text(cx, cy, _wrap(centre, 15, radius), 15, fill_opacity="0.75"))
    return _frame(picture, 2 * half_width, 2 * half_height, "".join(parts))


# -- a strip of stages ----------------------------------------------------------------


def _strip(picture: StageStrip) -> str:
    size, stage_width, stage_height, notch = 16.0, 112.0, 64.0, 10.0
    stages = [stage for group in picture.groups for stage in group.stages]
    grouped = any(group.title for group in picture.groups)
    top = 52.0 if grouped else 8.0
    parts: list[str] = []
    x = 8.0
    for group in picture.groups:
        span = stage_width * len(group.stages)
        if group.title:
            parts.append(
                f'<path d="M{x + 4:.1f},{top - 10:.1f} V{top - 18:.1f} H{x + span - 4:.1f} '
                f'V{top - 10:.1f}" fill="none" stroke="currentColor" stroke-width="2"/>'
            )
            parts.append(
                _text(x + span / 2, top - 34, _wrap(group.title, 16, span), 16, font_weight="700")
            )
        x += span
    for index, stage in enumerate(stages):
        left = 8.0 + index * stage_width
        right = left + stage_width - 4
        mid = top + stage_height / 2
        inner = left + notch if index else left
        points = [
            (left, top),
            (right - notch, top),
            (right, mid),
            (right - notch, top + stage_height),
            (left, top + stage_height),
            (inner, mid),
        ]
        shade = 0.04 + 0.3 * index / max(1, len(stages) - 1)
        parts.append(
            '<polygon points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            + f'" fill="currentColor" fill-opacity="{shade:.2f}" stroke="currentColor" '
            'stroke-width="2"/>'
        )
        label = _wrap(stage, size, stage_width - 2 * notch - 6)
        parts.append(_text(left + stage_width / 2 + notch / 2, mid, label, size, font_weight="600"))
    width = 16.0 + stage_width * len(stages)
    return _frame(picture, width, top + stage_height + 8, "".join(parts))


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


def svg(picture: Picture) -> str:
    """The picture as one self-contained, scalable ``<svg>`` element with its text alternative."""
    if isinstance(picture, CycleDiagram):
        return _cycle(picture)
    if isinstance(picture, StageStrip):
        return _strip(picture)
    return _chart(picture)
