"""The studio page: server-rendered shell, the engine's state as JSON, a small script."""

from __future__ import annotations

import binascii
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie

from catalog.models import OptionSetVersion
from configurator.compilation.selectors import NotCompiledYet
from configurator.configuring.evaluation import selection_evaluate
from configurator.configuring.payloads import evaluation_payload
from configurator.configuring.previews import decode_selection, preview_url
from configurator.configuring.selection import selection_parse
from configurator.configuring.selectors import (
    published_products,
    published_version_get,
    studio_engine,
)
from configurator.designs.models import Design
from configurator.designs.services import design_reopen, design_reopen_shared, image_resolver
from configurator.designs.shoppers import shopper_from_request
from configurator.errors import ApplicationError
from configurator.personalization.defaults import merchant_defaults, proposal_sign, studio_defaults
from configurator.personalization.models import DefaultSource
from configurator.personalization.selectors import studio_context_for

logger = logging.getLogger(__name__)


@ensure_csrf_cookie  # the studio's script sends it with every API write, a guest's too
def studio(request: HttpRequest, sku: str) -> HttpResponse:
    try:
        version = published_version_get(sku=sku)
    except OptionSetVersion.DoesNotExist:
        raise Http404(sku) from None
    try:
        engine = studio_engine(version=version)
    except NotCompiledYet as preparing:
        response = render(
            request, "studio/compiling.html", {"product": version.product}, status=503
        )
        response["Retry-After"] = str(preparing.retry_after)
        return response
    language = (get_language() or "vi")[:2]
    selection: dict = {}
    dropped: tuple = ()
    design = None
    mine = False
    reference = request.GET.get("design", "")
    if reference:
        design = _design(request, reference)
        mine = _owns(request, design)
        if mine:
            selection, dropped = design_reopen(design=design, engine=engine)
        else:  # a share link: the page never carries the shopper's upload ids
            try:
                saved = studio_engine(version=design.version)
            except NotCompiledYet:
                return render(
                    request, "studio/compiling.html", {"product": version.product}, status=503
                )
            shared = design_reopen_shared(design=design, saved=saved, engine=engine)
            selection, dropped = shared.current, shared.dropped
        selection = {k: v for k, v in selection.items() if engine.groups[k].kind != "image"}
    uploads: dict[str, dict[str, Any]] = {}
    carried = _carried(request, engine, language)  # the design as it was, in another language
    if carried is not None:
        selection, uploads = carried
        dropped = ()
    defaults = None
    if not selection:
        defaults = studio_defaults(
            engine=engine,
            product=version.product.sku,
            user=request.user,
            language=language,
            personal=request.GET.get("defaults") != "merchant",
            context=studio_context_for(user=request.user, session_key=request.session.session_key),
        )
        selection = defaults.selection
    evaluation = selection_evaluate(
        engine=engine,
        selection=selection,
        language=language,
        rankings=defaults.rankings if defaults else None,
    )
    state = evaluation_payload(evaluation, version, language)
    state["reasons"] = defaults.reasons if defaults else {}
    # What the banner says: only a proposal the shopper's own history picked is "personal".
    state["defaults_basis"] = defaults.basis if defaults else DefaultSource.MERCHANT.value
    state["personalized"] = state["defaults_basis"] == DefaultSource.PERSONAL.value
    # Sent back with the cart line, so the order remembers which defaults were kept.
    state["defaults_token"] = (
        proposal_sign(defaults=defaults, sku=version.product.sku) if defaults else None
    )
    state["dropped"] = [{"group": d.group, "value": d.value, "reason": d.reason} for d in dropped]
    state["design"] = str(design.id) if design and mine else None
    state["uploads"] = uploads
    raw = {k: uploads[k]["id"] if k in uploads else v for k, v in selection.items()}
    state["preview_url"] = preview_url(version, engine, raw)
    return render(
        request,
        "studio/studio.html",
        {
            "product": version.product,
            "version": version,
            "state": state,
            "text": _script_text(),
        },
    )


def _carried(
    request: HttpRequest, engine: Any, language: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    """The selection carried in the URL's ``s`` (base64url JSON, as preview URLs carry it),
    with the shopper's own uploads among it; None when absent or not a valid selection.

    A selection read here is checked like any other (codes, shapes, limits, rules); a picture
    stays only when it is this shopper's upload. Anything wrong opens the usual defaults.
    """
    token = request.GET.get("s", "")
    if not token:
        return None
    try:
        raw = decode_selection(token)
        parsed = selection_parse(
            engine=engine,
            raw=raw,
            resolve_image=image_resolver(shopper_from_request(request)),
            language=language,
        )
    except (ValueError, UnicodeDecodeError, binascii.Error, ApplicationError):
        logger.info("studio: a carried selection was refused; opening the defaults")
        return None
    uploads = {
        code: {"id": raw[code], "width": value.width, "height": value.height}
        for code, value in parsed.items()
        if engine.groups[code].kind == "image" and value is not None
    }
    return parsed, uploads


def _script_text() -> dict[str, str]:
    """The studio script's words, in the page's language (sent through ``json_script``)."""
    return {
        "available": _("available"),
        "unavailable": _("not available with your choices"),
        "switch": _("Switch to it"),
        "switchChanges": _("changes"),
        "showAll": _("Show all"),
        "showFewer": _("Show fewer"),
        "more": _("more"),
        "none": _("None"),
        "remaining": _("characters left"),
        "tooMany": _("characters too many"),
        "tooLong": _("This text is too long: shorten it to use it."),
        "patternRefused": _("These characters cannot be engraved."),
        "upload": _("Upload a picture"),
        "uploadLowQuality": _("This picture is small for the print area: it may print blurry."),
        "uploaded": _("Picture uploaded"),
        "saved": _("Design saved"),
        "shared": _("Share this link"),
        "added": _("Added to your cart"),
        "total": _("Total"),
        "incomplete": _("Choose the remaining options to add it to your cart."),
        "error": _("Something went wrong; please try again."),
        "offline": _("Could not reach the shop. Check your connection and try again."),
        "retry": _("Try again"),
        "dropped": _("Some choices of this design are no longer offered and were left out:"),
        "privatePicture": _("a picture only its owner sees"),
        "step": _("Step"),
    }


def _design(request: HttpRequest, reference: str) -> Design:
    design = Design.objects.filter(share_token=reference).first()
    if design is None:
        import uuid

        try:
            key = uuid.UUID(reference)
        except ValueError:
            raise Http404(reference) from None
        design = Design.objects.filter(shopper_from_request(request).owns(), pk=key).first()
    if design is None:
        raise Http404(reference)
    return design


def _owns(request: HttpRequest, design: Design) -> bool:
    return Design.objects.filter(shopper_from_request(request).owns(), pk=design.pk).exists()


def home(request: HttpRequest) -> HttpResponse:
    """The storefront: every product a shopper can design, with its default look and price."""
    language = (get_language() or "vi")[:2]
    cards = []
    for product in published_products():
        version = published_version_get(sku=product.sku)
        try:
            engine = studio_engine(version=version)
        except NotCompiledYet:
            continue
        defaults = merchant_defaults(engine).selection
        cards.append(
            {
                "product": product,
                "name": product.name_in(language),
                "preview": preview_url(version, engine, defaults).replace("/512.", "/256."),
                "price": engine.price(defaults).total,
            }
        )
    return render(request, "studio/home.html", {"cards": cards})
