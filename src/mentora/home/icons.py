"""Draws the app's home-screen icons (PNG) with Pillow: `python -m mentora.home.icons` writes them into the
static folder, where they are committed. A rounded brand-blue square with a white "M" and a small mentoring
mark; safe for maskable icons (the drawing stays inside the central 80 %)."""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (29, 78, 137, 255)
WHITE = (255, 255, 255, 255)
GOLD = (240, 180, 0, 255)
SIZES = (180, 192, 512)
FOLDER = Path(__file__).resolve().parent.parent / "core" / "static" / "mentora" / "icons"


def draw_icon(size: int) -> Image.Image:
    scale = 4  # drawn large, then reduced, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), BRAND)
    pen = ImageDraw.Draw(image)
    unit = big / 100
    width = round(9 * unit)
    # An "M" of four strokes inside the safe zone.
    left, right, top, bottom = 26 * unit, 74 * unit, 30 * unit, 70 * unit
    points = [(left, bottom), (left, top), (50 * unit, 56 * unit), (right, top), (right, bottom)]
    pen.line(points, fill=WHITE, width=width, joint="curve")
    for x, y in (points[0], points[-1]):
        pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=WHITE)
    # The mentoring mark: a small gold dot above the middle of the M.
    radius = 6 * unit
    pen.ellipse((50 * unit - radius, 22 * unit - radius, 50 * unit + radius, 22 * unit + radius), fill=GOLD)
    return image.resize((size, size), Image.LANCZOS)


def write_icons(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        path = folder / f"icon-{size}.png"
        draw_icon(size).convert("RGB").save(path, optimize=True)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_icons():
        print(path)
