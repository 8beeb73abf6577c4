"""Preview art for the demo products, drawn by the project itself with Pillow.

Every product gets a base picture (silhouette, shading, shadow), a tint mask (the parts the
colour choice paints), a texture per material and an overlay per design, all 1024 px RGBA
PNGs that the studio's compositor stacks. Drawing is deterministic, so re-running the demo
writes the same files.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageChops, ImageDraw, ImageFilter

SIZE = 1024
ROOT = "demo"


def _canvas() -> Image.Image:
    return Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))


def _shadow(mask: Image.Image, offset: int = 24, blur: int = 28) -> Image.Image:
    shadow = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    alpha = mask.point(lambda v: int(v * 0.35))
    shifted = ImageChops.offset(alpha, 0, offset).filter(ImageFilter.GaussianBlur(blur))
    shadow.putalpha(shifted)
    return shadow


def _shade(mask: Image.Image, light_from_left: bool = True) -> Image.Image:
    """A soft grey shading (white = lit) inside ``mask``: the tint multiplies it."""
    gradient = Image.linear_gradient("L").rotate(90 if light_from_left else -90)
    gradient = gradient.resize((SIZE, SIZE)).point(lambda v: 255 - int(v * 0.35))
    shade = Image.merge("RGBA", (gradient, gradient, gradient, mask))
    return shade


def _save(name: str, image: Image.Image) -> str:
    path = f"{ROOT}/{name}.png"
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(out.getvalue()))


# Shapes: each returns the L mask of the part the colour paints.


def sneaker_upper() -> Image.Image:
    mask = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon(
        [
            (120, 640),
            (150, 470),
            (300, 420),
            (420, 330),
            (560, 300),
            (640, 360),
            (720, 470),
            (880, 540),
            (920, 640),
        ],
        fill=255,
    )
    draw.ellipse((520, 270, 680, 400), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(1.2))


def sneaker_sole() -> Image.Image:
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).rounded_rectangle((100, 620, 940, 700), radius=36, fill=255)
    return mask


def tote_body() -> Image.Image:
    mask = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask)
    draw.polygon([(230, 330), (794, 330), (840, 900), (184, 900)], fill=255)
    return mask.filter(ImageFilter.GaussianBlur(1.0))


def tote_handles() -> Image.Image:
    mask = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask)
    for left in (300, 560):
        draw.arc((left, 110, left + 170, 460), start=180, end=360, fill=255, width=26)
    return mask


def mug_body() -> Image.Image:
    mask = Image.new("L", (SIZE, SIZE), 0)
    draw = ImageDraw.Draw(mask)
    draw.rounded_rectangle((250, 260, 700, 860), radius=40, fill=255)
    draw.ellipse((250, 220, 700, 300), fill=255)
    return mask


def mug_handle() -> Image.Image:
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).ellipse((620, 400, 860, 700), outline=255, width=44)
    return ImageChops.subtract(mask, mug_body())


def banner_body() -> Image.Image:
    """A banner hung flat: a wide rectangle (the same picture for every size chosen)."""
    mask = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(mask).rectangle((92, 330, 932, 694), fill=255)
    return mask


def _base(
    parts: list[tuple[Image.Image, tuple[int, int, int]]], outline: Image.Image
) -> Image.Image:
    """Shadow, then each fixed part in its colour with shading, then a hairline outline."""
    image = _canvas()
    image.alpha_composite(_shadow(outline))
    for mask, colour in parts:
        layer = Image.new("RGBA", (SIZE, SIZE), (*colour, 255))
        layer.putalpha(mask)
        shade = _shade(mask)
        layer = ImageChops.multiply(layer, shade)
        layer.putalpha(mask)
        image.alpha_composite(layer)
    edge = outline.filter(ImageFilter.FIND_EDGES).point(lambda v: 90 if v > 40 else 0)
    line = Image.new("RGBA", (SIZE, SIZE), (40, 36, 32, 255))
    line.putalpha(edge)
    image.alpha_composite(line)
    return image


def _tint_mask(mask: Image.Image) -> Image.Image:
    """White, shaded, with the part's alpha: the compositor multiplies it by the swatch."""
    return _shade(mask)


def _pattern(
    mask: Image.Image, draw_pattern: Callable[[ImageDraw.ImageDraw], None], opacity: int = 220
) -> Image.Image:
    layer = _canvas()
    draw_pattern(ImageDraw.Draw(layer))
    alpha = ImageChops.multiply(layer.getchannel("A"), mask.point(lambda v: min(v, opacity)))
    layer.putalpha(alpha)
    return layer


def _stripes(colour, width=36, gap=90, angle=0):
    def draw(d: ImageDraw.ImageDraw) -> None:
        for x in range(-SIZE, 2 * SIZE, gap):
            if angle:
                d.line(
                    [(x, 0), (x + SIZE * math.tan(math.radians(angle)), SIZE)],
                    fill=colour,
                    width=width,
                )
            else:
                d.rectangle((0, x, SIZE, x + width), fill=colour)

    return draw


def _dots(colour, radius=18, step=80):
    def draw(d: ImageDraw.ImageDraw) -> None:
        for row, y in enumerate(range(0, SIZE, step)):
            for x in range((row % 2) * step // 2, SIZE, step):
                d.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)

    return draw


def _leaves(colour):
    def draw(d: ImageDraw.ImageDraw) -> None:
        for y in range(360, 900, 130):
            for x in range(220, 820, 150):
                d.ellipse((x, y, x + 90, y + 40), fill=colour)
                d.line([(x - 10, y + 40), (x + 100, y)], fill=(60, 90, 50, 255), width=4)

    return draw


def _star(colour):
    def draw(d: ImageDraw.ImageDraw) -> None:
        cx, cy, r = 430, 520, 70
        points = []
        for i in range(10):
            radius = r if i % 2 == 0 else r * 0.45
            angle = math.pi / 2 + i * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
        d.polygon(points, fill=colour)

    return draw


def _wave(colour):
    def draw(d: ImageDraw.ImageDraw) -> None:
        points = [(x, 540 + 40 * math.sin(x / 60)) for x in range(100, 940, 8)]
        d.line(points, fill=colour, width=34)

    return draw


def _marble(seed: int):
    def draw(d: ImageDraw.ImageDraw) -> None:
        for i in range(14):
            y = 280 + i * 42
            points = [(x, y + 25 * math.sin((x + seed * i) / 47)) for x in range(240, 720, 6)]
            d.line(points, fill=(90, 90, 100, 140), width=3 + (i % 3))

    return draw


def _floral(colour):
    def draw(d: ImageDraw.ImageDraw) -> None:
        for cx, cy in [(360, 420), (560, 520), (400, 700), (600, 760)]:
            for k in range(6):
                a = k * math.pi / 3
                x, y = cx + 34 * math.cos(a), cy + 34 * math.sin(a)
                d.ellipse((x - 26, y - 26, x + 26, y + 26), fill=colour)
            d.ellipse((cx - 16, cy - 16, cx + 16, cy + 16), fill=(250, 200, 60, 255))

    return draw


def _texture(mask: Image.Image, kind: str) -> Image.Image:
    """A subtle material texture: weave for canvas, grain for leather, nap for suede."""
    layer = _canvas()
    d = ImageDraw.Draw(layer)
    if kind == "weave":
        for y in range(0, SIZE, 6):
            d.line([(0, y), (SIZE, y)], fill=(0, 0, 0, 26), width=1)
        for x in range(0, SIZE, 6):
            d.line([(x, 0), (x, SIZE)], fill=(255, 255, 255, 20), width=1)
    elif kind == "grain":
        for i in range(5000):
            x, y = (i * 7919) % SIZE, (i * 104729) % SIZE
            d.point((x, y), fill=(0, 0, 0, 45))
    elif kind == "nap":
        for y in range(0, SIZE, 3):
            d.line([(0, y), (SIZE, y + 12)], fill=(255, 255, 255, 14), width=1)
    elif kind == "gloss":
        d.rounded_rectangle((300, 300, 360, 820), radius=30, fill=(255, 255, 255, 70))
    alpha = ImageChops.multiply(layer.getchannel("A"), mask)
    layer.putalpha(alpha)
    return layer


def sneaker_details() -> Image.Image:
    """Drawn over the colour: toe cap seam, eyelets, laces, heel tab, sole stripe."""
    layer = _canvas()
    d = ImageDraw.Draw(layer)
    d.arc((700, 420, 1000, 760), start=200, end=280, fill=(30, 28, 26, 150), width=5)
    for i in range(5):
        x, y = 450 + i * 46, 352 + i * 28
        d.ellipse(
            (x - 9, y - 9, x + 9, y + 9), fill=(235, 230, 220, 255), outline=(40, 36, 32, 200)
        )
        d.line([(x, y), (x + 60, y - 34)], fill=(250, 248, 244, 255), width=9)
    d.rounded_rectangle((128, 470, 176, 600), radius=14, fill=(40, 36, 32, 110))
    d.line([(120, 660), (930, 660)], fill=(200, 60, 50, 255), width=6)
    d.line([(150, 625), (900, 625)], fill=(40, 36, 32, 90), width=3)
    return layer


def tote_details() -> Image.Image:
    layer = _canvas()
    d = ImageDraw.Draw(layer)
    d.line([(236, 352), (788, 352)], fill=(40, 36, 32, 90), width=3)
    for x in range(244, 780, 18):
        d.line([(x, 366), (x + 9, 366)], fill=(255, 255, 255, 120), width=2)
    return layer


def tote_back_details() -> Image.Image:
    """The tote's back: the top seam and a stitched patch pocket (where the name prints)."""
    layer = tote_details()
    d = ImageDraw.Draw(layer)
    d.rounded_rectangle((352, 520, 672, 720), radius=10, outline=(40, 36, 32, 110), width=3)
    for x in range(364, 660, 16):
        d.line([(x, 532), (x + 8, 532)], fill=(255, 255, 255, 140), width=2)
    return layer


def mug_details() -> Image.Image:
    layer = _canvas()
    d = ImageDraw.Draw(layer)
    d.ellipse((258, 226, 692, 294), outline=(255, 255, 255, 170), width=6)
    d.ellipse((276, 236, 674, 286), fill=(60, 40, 30, 140))
    return layer


def banner_details() -> Image.Image:
    """Hemmed edges and a brass grommet in each corner."""
    layer = _canvas()
    d = ImageDraw.Draw(layer)
    d.rectangle((104, 342, 920, 682), outline=(40, 36, 32, 70), width=3)
    for x, y in ((122, 360), (902, 360), (122, 664), (902, 664)):
        d.ellipse((x - 14, y - 14, x + 14, y + 14), fill=(190, 160, 90, 255))
        d.ellipse((x - 7, y - 7, x + 7, y + 7), fill=(60, 50, 40, 255))
    return layer


def thumbnail(image: Image.Image, name: str) -> str:
    """A 160 px square thumbnail of an overlay on a light ground (design swatches)."""
    ground = Image.new("RGBA", image.size, (246, 242, 236, 255))
    ground.alpha_composite(image)
    box = image.getchannel("A").getbbox() or (0, 0, SIZE, SIZE)
    crop = ground.crop(box)
    crop.thumbnail((160, 160))
    return _save(f"thumbs/{name}", crop)


def draw_all() -> dict[str, str]:
    """Draw every demo picture; returns name -> storage path."""
    files: dict[str, str] = {}
    # Sneaker.
    upper, sole = sneaker_upper(), sneaker_sole()
    outline = ImageChops.lighter(upper, sole)
    files["sneaker/base"] = _save("sneaker/base", _base([(sole, (250, 250, 248))], outline))
    files["sneaker/tint"] = _save("sneaker/tint", _tint_mask(upper))
    files["sneaker/canvas"] = _save("sneaker/canvas", _texture(upper, "weave"))
    files["sneaker/leather"] = _save("sneaker/leather", _texture(upper, "grain"))
    files["sneaker/suede"] = _save("sneaker/suede", _texture(upper, "nap"))
    files["sneaker/details"] = _save("sneaker/details", sneaker_details())
    for name, draw in {
        "stripe": _stripes((255, 255, 255, 235), width=28, gap=2000, angle=0),
        "star": _star((255, 255, 255, 240)),
        "wave": _wave((255, 255, 255, 230)),
    }.items():
        overlay = _pattern(upper, draw)
        if name == "stripe":
            overlay = _pattern(upper, _stripes((255, 255, 255, 235), width=30, gap=120, angle=35))
        files[f"sneaker/{name}"] = _save(f"sneaker/{name}", overlay)
        files[f"thumb/sneaker-{name}"] = thumbnail(overlay, f"sneaker-{name}")
    # Tote.
    body, handles = tote_body(), tote_handles()
    outline = ImageChops.lighter(body, handles)
    files["tote/base"] = _save("tote/base", _base([(handles, (196, 170, 130))], outline))
    files["tote/tint"] = _save("tote/tint", _tint_mask(body))
    files["tote/canvas"] = _save("tote/canvas", _texture(body, "weave"))
    files["tote/linen"] = _save("tote/linen", _texture(body, "nap"))
    files["tote/recycled"] = _save("tote/recycled", _texture(body, "grain"))
    files["tote/details"] = _save("tote/details", tote_details())
    files["tote/back-details"] = _save("tote/back-details", tote_back_details())
    for name, draw in {
        "stripes": _stripes((255, 255, 255, 200), width=30, gap=110),
        "dots": _dots((255, 255, 255, 210)),
        "leaves": _leaves((120, 160, 90, 235)),
    }.items():
        overlay = _pattern(body, draw)
        files[f"tote/{name}"] = _save(f"tote/{name}", overlay)
        files[f"thumb/tote-{name}"] = thumbnail(overlay, f"tote-{name}")
    # Mug.
    mug, handle = mug_body(), mug_handle()
    outline = ImageChops.lighter(mug, handle)
    files["mug/base"] = _save("mug/base", _base([(handle, (235, 232, 226))], outline))
    files["mug/tint"] = _save("mug/tint", _tint_mask(mug))
    files["mug/ceramic"] = _save("mug/ceramic", _texture(mug, "gloss"))
    files["mug/enamel"] = _save("mug/enamel", _texture(mug, "grain"))
    files["mug/details"] = _save("mug/details", mug_details())
    for name, draw in {"floral": _floral((230, 120, 140, 235)), "marble": _marble(3)}.items():
        overlay = _pattern(mug, draw)
        files[f"mug/{name}"] = _save(f"mug/{name}", overlay)
        files[f"thumb/mug-{name}"] = thumbnail(overlay, f"mug-{name}")
    # Banner.
    banner = banner_body()
    files["banner/base"] = _save("banner/base", _base([], banner))
    files["banner/tint"] = _save("banner/tint", _tint_mask(banner))
    files["banner/pvc"] = _save("banner/pvc", _texture(banner, "gloss"))
    files["banner/cotton"] = _save("banner/cotton", _texture(banner, "weave"))
    files["banner/details"] = _save("banner/details", banner_details())
    return files


def font_name(*, bold: bool = False) -> str:
    """The vendored DejaVu Sans (``bold``: its bold cut), copied into storage for the text
    layers and the lettering values."""
    file = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = f"{ROOT}/fonts/{file}"
    if not default_storage.exists(path):
        source = Path(__file__).resolve().parents[2] / "static" / "fonts" / file
        default_storage.save(path, ContentFile(source.read_bytes()))
    return path
