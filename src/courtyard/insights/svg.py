"""The silo map's pictures, drawn on the server: the heat map's colours and the department network (SVG).

Colours are colour-blind safe: a single-hue blue ramp for the heat map (ColorBrewer "Blues"), and for
E-I a diverging orange–blue scale (Okabe–Ito orange and blue); every picture has its numbers in a table.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from courtyard.insights.domain import network
from courtyard.insights.selectors import SiloMap

BLUES = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"]
ORANGE, GREY, BLUE = (230, 159, 0), (220, 220, 220), (0, 114, 178)


def heat_colour(value: float | None, top: float) -> tuple[str, str]:
    """(background, text colour) for a heat map cell: darker is more ties per possible pair."""
    if value is None or top <= 0:
        return "#ffffff", "#212529"
    step = min(len(BLUES) - 1, round((len(BLUES) - 1) * min(1.0, value / top)))
    return BLUES[step], "#ffffff" if step >= 5 else "#212529"


def ei_colour(ei: float | None) -> str:
    if ei is None:
        return "#bbbbbb"
    start, end = (ORANGE, GREY) if ei < 0 else (GREY, BLUE)
    t = ei + 1 if ei < 0 else ei
    r, g, b = (round(a + (c - a) * t) for a, c in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_rows(silo: SiloMap) -> list[dict[str, Any]]:
    values = [v for v in silo.matrix.values() if v is not None]
    top = max(values) if values else 0.0
    rows = []
    for d, name, size in silo.departments:
        if silo.focus is not None and d != silo.focus:
            continue
        cells = []
        for other, other_name, _size in silo.departments:
            value = silo.matrix.get((d, other))
            background, text = heat_colour(value, top)
            cells.append({"value": value, "shown": "—" if value is None else f"{value:.1f}", "background": background,
                          "text": text, "other": other_name, "inside": d == other})
        rows.append({"id": d, "name": name, "size": size, "ei": silo.ei.get(d), "cells": cells})
    return rows


def network_svg(silo: SiloMap, *, size: int = 520) -> SafeString:
    """Departments on a circle (area by members, colour by E-I), lines by ties per possible pair."""
    departments = list(silo.departments)
    if not departments:
        return SafeString("")
    centre = size / 2
    points = network.circle_layout(len(departments), radius=size * 0.36, centre=centre)
    position = {d: p for (d, _n, _s), p in zip(departments, points, strict=True)}
    largest = max(s for _d, _n, s in departments) or 1
    densities = {
        (a, b): v for (a, b), v in silo.matrix.items()
        if v is not None and a < b and a in position and b in position
    }
    top = max(densities.values(), default=0.0)
    lines = []
    for (a, b), value in sorted(densities.items(), key=lambda item: item[1]):
        if top <= 0 or value <= 0:
            continue
        (x1, y1), (x2, y2) = position[a], position[b]
        width = 0.5 + 7 * value / top
        lines.append((x1, y1, x2, y2, f"{width:.1f}", f"{0.25 + 0.6 * value / top:.2f}"))
    nodes = []
    for d, name, members in departments:
        x, y = position[d]
        radius = 6 + 22 * math.sqrt(members / largest)
        label = name.split(" / ")[-1]
        anchor = "start" if x > centre + 1 else ("end" if x < centre - 1 else "middle")
        dx = radius + 4 if anchor == "start" else (-radius - 4 if anchor == "end" else 0)
        dy = -radius - 6 if anchor == "middle" and y < centre else (radius + 14 if anchor == "middle" else 4)
        nodes.append((x, y, f"{radius:.1f}", ei_colour(silo.ei.get(d)), x + dx, y + dy, anchor, label[:28],
                      f"{name}: {members} members, E-I {_ei_text(silo.ei.get(d))}"))
    body = format_html_join(
        "", '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4d4d4d" stroke-width="{}" stroke-opacity="{}"/>', lines
    )
    circles = format_html_join(
        "",
        '<g><title>{8}</title><circle cx="{0}" cy="{1}" r="{2}" fill="{3}" stroke="#333" stroke-width="1"/>'
        '<text x="{4}" y="{5}" text-anchor="{6}" font-size="12" fill="#212529">{7}</text></g>',
        nodes,
    )
    margin = 110
    return format_html(
        '<svg class="cy-network" viewBox="{} {} {} {}" role="img" aria-labelledby="network-title network-desc" '
        'xmlns="http://www.w3.org/2000/svg"><title id="network-title">{}</title><desc id="network-desc">{}</desc>'
        "{}{}</svg>",
        -margin, -30, size + 2 * margin, size + 60,
        "Department network",
        "Each circle is a department (bigger: more members; orange: ties stay inside, blue: ties cross); "
        "thicker lines join departments with more ties per possible pair. The table below has the numbers.",
        body, circles,
    )


def _ei_text(ei: float | None) -> str:
    return "—" if ei is None else f"{ei:+.2f}"
