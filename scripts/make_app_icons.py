"""Draw the phone app's icons (static/img/app-*.png) with Pillow: a yellow flag and star on the shell's red.
Run once after changing the design: `.venv/bin/python scripts/make_app_icons.py`; the PNGs are committed."""

import math
from pathlib import Path

from PIL import Image, ImageDraw

RED, DARK, YELLOW = (198, 40, 40), (163, 20, 26), (255, 204, 0)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def star(cx, cy, r):
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def icon(size: int, *, maskable: bool) -> Image.Image:
    scale = 4  # drawn large, then reduced: smooth edges
    s = size * scale
    image = Image.new("RGB", (s, s), DARK)
    draw = ImageDraw.Draw(image)
    for y in range(s):  # the top bar's gradient, turned to run top to bottom
        t = y / s
        draw.line([(0, y), (s, y)], fill=tuple(round(DARK[i] + (RED[i] - DARK[i]) * t) for i in range(3)))
    inset = 0.2 if maskable else 0.12  # the maskable icon keeps its drawing inside the safe circle
    left, top, span = s * inset, s * inset, s * (1 - 2 * inset)
    pole = span * 0.07
    draw.rectangle([left + span * 0.12, top, left + span * 0.12 + pole, top + span], fill=YELLOW)
    flag_left, flag_top = left + span * 0.12 + pole, top + span * 0.04
    width, height = span * 0.74, span * 0.5
    wave = [(flag_left + width * i / 20, flag_top + height * 0.06 * math.sin(i / 20 * 2 * math.pi)) for i in range(21)]
    bottom = [(x, y + height) for x, y in reversed(wave)]
    draw.polygon(wave + bottom, fill=YELLOW)
    draw.polygon(star(flag_left + width * 0.5, flag_top + height * 0.5, height * 0.3), fill=DARK)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    icon(192, maskable=False).save(OUT / "app-192.png", optimize=True)
    icon(512, maskable=False).save(OUT / "app-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "app-maskable-512.png", optimize=True)
    icon(180, maskable=False).save(OUT / "app-apple-180.png", optimize=True)
