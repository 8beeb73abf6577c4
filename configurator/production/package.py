"""The production package of one order line: print-ready artwork, a sheet, a manifest.

Everything comes from the order line's snapshot (never from the live catalog), so a package
built twice is the same package. Files are written under ``production/<export id>/`` in the
private storage (the artwork shows the shopper's picture); ``manifest.json`` is written last,
so a package with a manifest is complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from catalog.models import OptionValue, PreviewLayer, ProductView
from configurator.preview.placement import IDENTITY, PLACEMENT_KEY, Placement, placements_read
from configurator.preview.printing import PrintArea, compose_print_artwork, srgb_profile
from configurator.storage import private_open, private_storage

from .models import Export

DEFAULT_AREA = (80.0, 30.0, 300)  # width mm, height mm, dpi: when the merchant set none
PRINT_MARGIN_MM = 0.5  # kept clear around text, so no stroke touches the cut


def font_path() -> str:
    """The print font: a setting, else the vendored DejaVu Sans (renders Vietnamese)."""
    configured = getattr(settings, "CONFIGURATOR_PRINT_FONT", "")
    if configured:
        return str(configured)
    return str(Path(settings.BASE_DIR) / "static" / "fonts" / "DejaVuSans.ttf")


def text_style(
    version_id: int, group: str, choices: list[dict[str, Any]]
) -> tuple[str, bytes | None]:
    """The colour and font the shopper chose for the text of ``group`` among the merchant's
    lists (the swatch and font of the values chosen in its text layer's colour and font
    groups); black and the print font otherwise, as before those lists."""
    layer = (
        PreviewLayer.objects.filter(version_id=version_id, group__code=group, kind="text")
        .select_related("color_group", "font_group")
        .order_by("position", "pk")
        .first()
    )
    chosen = {c["group"]: c.get("value") for c in choices if c.get("value")}
    colour, font = "#000000", None
    if layer is None:
        return colour, font
    if layer.color_group is not None and chosen.get(layer.color_group.code):
        swatch = (
            OptionValue.objects.filter(group=layer.color_group, code=chosen[layer.color_group.code])
            .values_list("swatch", flat=True)
            .first()
        )
        colour = swatch or colour
    if layer.font_group is not None and chosen.get(layer.font_group.code):
        value = OptionValue.objects.filter(
            group=layer.font_group, code=chosen[layer.font_group.code]
        ).first()
        name = str(((value.extensions or {}) if value is not None else {}).get("font") or "")
        if name and default_storage.exists(name):  # a font library's file (its storage name)
            with default_storage.open(name, "rb") as handle:
                font = handle.read()
    return colour, font


def print_area(version_id: int, group: str) -> PrintArea:
    """The group's print area in the version's first view that prints it."""
    areas = print_areas(version_id, group, {})
    return areas[0][1] if areas else PrintArea(*DEFAULT_AREA)


def _area(layer: PreviewLayer | None) -> PrintArea:
    if layer is None or not layer.print_width_mm or not layer.print_height_mm:
        return PrintArea(*DEFAULT_AREA)
    return PrintArea(
        float(layer.print_width_mm), float(layer.print_height_mm), layer.print_dpi or 300
    )


def print_areas(
    version_id: int, group: str, prints: dict[str, bool]
) -> list[tuple[str, PrintArea]]:
    """Where the group's text or picture is printed: ``(view code, print area)`` for each
    view that prints (``prints``, by code: the order's snapshot; a view it does not name
    goes by its row) and holds a text or artwork layer of the group, in view order. A group
    no layer places prints once, at the default size, in the first view (as before views);
    one placed only in views that do not print (a close-up) is not printed."""
    layers = list(
        PreviewLayer.objects.filter(
            version_id=version_id, group__code=group, kind__in=("text", "artwork")
        )
        .select_related("view")
        .order_by("view__position", "view_id", "position", "pk")
    )
    views = list(ProductView.objects.filter(version_id=version_id).order_by("position", "pk"))
    first = views[0] if views else None
    if not layers:
        return [(first.code if first else "", PrintArea(*DEFAULT_AREA))]
    by_view: dict[str, list[PreviewLayer]] = {}
    for layer in layers:  # a layer without a view is in the first one
        view = layer.view or first
        by_view.setdefault(view.code if view else "", []).append(layer)
    areas = []
    in_order: list[ProductView | None] = [*views] if views else [None]
    for view in in_order:
        code = view.code if view else ""
        if code not in by_view or not prints.get(code, view.prints if view else True):
            continue
        sized = next((layer for layer in by_view[code] if layer.print_width_mm), None)
        areas.append((code, _area(sized)))
    return areas


def text_artwork(
    text: str,
    area: PrintArea,
    color: str = "#000000",
    placement: Placement = IDENTITY,
    font: Any = None,
) -> Image.Image:
    """The text (NFC) as large as fits the print area less a margin, centred, transparent;
    or where the shopper placed it (the live preview's geometry); in ``font`` (a path or the
    file's bytes), else the print font."""
    return compose_print_artwork(
        area=area,
        text=text,
        font=font or font_path(),
        colour=color,
        padding_mm=PRINT_MARGIN_MM,
        placement=placement,
    )


def picture_artwork(data: bytes, area: PrintArea, placement: Placement = IDENTITY) -> Image.Image:
    """The shopper's picture fitted (not cropped) into the print area, centred; or where the
    shopper placed it."""
    return compose_print_artwork(area=area, art=data, placement=placement)


def line_placements(choices: list[dict[str, Any]]) -> dict[str, Placement]:
    """The placements an order line's snapshot keeps with its texts and pictures."""
    return placements_read(
        {PLACEMENT_KEY: {c["group"]: c["placement"] for c in choices if "placement" in c}}
    )


def _png(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    # zlib level 1: a few per cent larger than the default 6, several times faster.
    image.save(out, "PNG", dpi=(dpi, dpi), icc_profile=srgb_profile(), compress_level=1)
    return out.getvalue()


def _pdf(image: Image.Image, dpi: int) -> bytes:
    out = io.BytesIO()
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    flat.save(out, "PDF", resolution=float(dpi))
    return out.getvalue()


def production_sheet(export: Export, manifest: dict[str, Any], order_url: str) -> bytes:
    """A one-page PDF: the line's options with production codes, text proofs, a QR code."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "PrintFont" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("PrintFont", font_path()))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(f"{manifest['order']} #{manifest['line']}")
    width, height = A4
    y = height - 20 * mm
    page.setFont("PrintFont", 16)
    page.drawString(20 * mm, y, f"{manifest['order']} · #{manifest['line']} · {manifest['sku']}")
    y -= 8 * mm
    page.setFont("PrintFont", 11)
    page.drawString(20 * mm, y, f"{manifest['product']['vi']} — × {manifest['quantity']}")
    y -= 10 * mm
    for choice in manifest["choices"]:
        label = choice["group_name"].get("vi") or choice["group"]
        if "text" in choice:
            value = f"“{choice['text']}”"
        elif "upload" in choice:
            value = "(ảnh của khách)"
        else:
            name = choice["value_name"].get("vi", choice["value"])
            value = f"{name} [{choice['production_code'] or choice['value']}]"
        if "placement" in choice:  # where the shopper put it in the print area
            placed = choice["placement"]
            value += (
                f" — ngang {placed['x'] * 100:g}%, dọc {placed['y'] * 100:g}%, "
                f"cỡ {placed['scale'] * 100:g}%, xoay {placed['rotation']:g}°"
            )
        page.drawString(20 * mm, y, f"{label}: {value}")
        y -= 7 * mm
    _qr_draw(page, order_url, x=width - 55 * mm, y=height - 55 * mm, size=35 * mm)
    page.setFont("PrintFont", 8)
    page.drawString(width - 55 * mm, height - 58 * mm, order_url[:60])
    page.showPage()
    page.save()
    return out.getvalue()


def _qr_draw(page: Any, text: str, *, x: float, y: float, size: float) -> None:
    """A QR code, one pixel per module, scaled up by the PDF (sharp edges, tiny image).

    A fixed mask pattern: any of the eight is a valid code, and searching for the "best" one
    cost more than the rest of the sheet.
    """
    import qrcode
    from reportlab.lib.utils import ImageReader

    code = qrcode.QRCode(border=1, mask_pattern=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = Image.new("L", (len(matrix), len(matrix)), 255)
    modules.putdata([0 if dark else 255 for row in matrix for dark in row])
    page.drawImage(ImageReader(modules), x, y, size, size)


def package_build(export: Export, *, base_url: str = "") -> dict[str, Any]:
    """Build (or find) the export's package; returns its manifest."""
    storage = private_storage()
    root = f"production/{export.id}"
    manifest_path = f"{root}/manifest.json"
    if storage.exists(manifest_path):
        with storage.open(manifest_path, "rb") as existing:
            return json.loads(existing.read())
    line = export.line
    order = export.order
    files: list[dict[str, Any]] = []

    def put(name: str, data: bytes, kind: str, group: str = "", view: str = "") -> None:
        path = f"{root}/{name}"
        if storage.exists(path):
            storage.delete(path)
        storage.save(path, ContentFile(data))
        files.append(
            {
                "name": name,
                "kind": kind,
                "group": group,
                "view": view,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )

    prints = {view["code"]: bool(view.get("prints", True)) for view in line.views or ()}
    placements = line_placements(line.choices)

    def put_artwork(group: str, draw: Any) -> None:
        """The group's artwork in each view that prints it, where the shopper placed it:
        ``<group>.png`` and ``.pdf``, ``<group>.<view>.png`` when it prints in more than one
        view. A placement is a fraction of the print area, so it holds in each view's."""
        areas = print_areas(line.version_id, group, prints)
        for view, area in areas:
            art = draw(area)
            stem = f"{group}.{view}" if len(areas) > 1 else group
            put(f"{stem}.png", _png(art, area.dpi), "artwork", group, view)
            put(f"{stem}.pdf", _pdf(art, area.dpi), "artwork-pdf", group, view)

    for choice in line.choices:
        if "text" in choice:
            group = choice["group"]
            placement = placements.get(group, IDENTITY)
            colour, font = text_style(line.version_id, group, line.choices)
            draw = partial(
                text_artwork, choice["text"], color=colour, placement=placement, font=font
            )
            put_artwork(group, draw)
    for stored in line.files:
        source = private_open(stored["path"])
        if source is None:  # gone from every storage (logged there): no artwork to print
            continue
        with source:
            picture = source.read()
        placement = placements.get(stored["group"], IDENTITY)
        put_artwork(stored["group"], partial(picture_artwork, picture, placement=placement))
    manifest: dict[str, Any] = {
        "format": "production-package/1",
        "export_id": str(export.id),
        "idempotency_key": str(export.id),
        "partner": export.partner.code,
        "order": order.number,
        "line": line.position,
        "placed_at": order.placed_at.isoformat(),
        "sku": line.product_sku,
        "product": line.product_name,
        "version": line.version_number,
        "quantity": line.quantity,
        "choices": line.choices,
        "views": line.views,
        "unit_price": str(line.unit_price),
        "currency": order.currency,
        "ship_to": {
            "name": order.shipping_name,
            "phone": order.phone,
            "address": order.address,
            "province": order.province,
        },
    }
    order_url = f"{base_url}/admin/orders/order/{order.pk}/change/"
    put("sheet.pdf", production_sheet(export, manifest, order_url), "sheet")
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        ["order", "line", "sku", "quantity", "group", "value", "production_code", "text"]
    )
    for choice in line.choices:
        writer.writerow(
            [
                order.number,
                line.position,
                line.product_sku,
                line.quantity,
                choice["group"],
                choice.get("value", ""),
                choice.get("production_code", ""),
                choice.get("text", ""),
            ]
        )
    put("manifest.csv", rows.getvalue().encode("utf-8"), "manifest-csv")
    manifest["files"] = files
    storage.save(
        manifest_path,
        ContentFile(json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")),
    )
    return manifest
