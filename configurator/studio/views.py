"""The studio page: the form drawn on the server from the engine's state (it works without
JavaScript), that state as JSON for the script that enhances it."""

from __future__ import annotations

import binascii
import logging
from typing import Any
from urllib.parse import urlencode

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from catalog.models import OptionSetVersion
from configurator.clienteling.selectors import acting_read
from configurator.compilation.selectors import NotCompiledYet
from configurator.configuring.evaluation import selection_evaluate
from configurator.configuring.payloads import evaluation_payload
from configurator.configuring.placement import (
    PLACEMENT_KEY,
    Placement,
    placement_areas,
    placements_json,
    placements_parse,
)
from configurator.configuring.previews import (
    CONTENT_TYPES,
    UnknownView,
    decode_selection,
    encode_selection,
    layer_preview_image,
    placement_boxes,
    placement_boxes_by_view,
    preview_url,
    studio_views,
)
from configurator.configuring.selection import selection_parse
from configurator.configuring.selectors import (
    can_preview_drafts,
    draft_engine,
    draft_preview_remember,
    draft_version_get,
    published_products,
    published_version_get,
    studio_engine,
)
from configurator.designs.errors import UploadCode, UploadRefused
from configurator.designs.models import Design
from configurator.designs.services import (
    UPLOAD_MAX_BYTES,
    design_reopen,
    design_reopen_shared,
    image_resolver,
    upload_create,
)
from configurator.designs.shoppers import shopper_from_request
from configurator.engine import EngineError
from configurator.errors import ApplicationError
from configurator.orders.services import cart_line_add
from configurator.personalization.consent import consent_offer
from configurator.personalization.defaults import (
    merchant_defaults,
    proposal_read,
    proposal_sign,
    studio_defaults,
)
from configurator.personalization.models import DefaultSource
from configurator.personalization.selectors import studio_context_for

from .form import form_context, form_selection
from .throttling import form_throttle

# Set in a shopper's session by the first studio page it opens (see ``studio``).
SESSION_OPENED_KEY = "configurator.studio_opened"

logger = logging.getLogger(__name__)


@ensure_csrf_cookie  # the studio's script sends it with every API write, a guest's too
@require_http_methods(["GET", "HEAD", "POST"])
def studio(request: HttpRequest, sku: str) -> HttpResponse:
    draft = _draft(request, sku)  # "Xem thử": staff try a draft; anyone else gets a 404
    try:
        version = draft or published_version_get(sku=sku)
    except OptionSetVersion.DoesNotExist:
        raise Http404(sku) from None
    try:
        engine = draft_engine(version=draft) if draft else studio_engine(version=version)
    except EngineError:
        logger.info("studio: draft %s of %s does not compile", version.pk, sku)
        raise Http404(sku) from None
    except NotCompiledYet as preparing:
        response = render(
            request, "studio/compiling.html", {"product": version.product}, status=503
        )
        response["Retry-After"] = str(preparing.retry_after)
        return response
    language = (get_language() or "vi")[:2]
    if request.method == "POST":
        return _studio_post(request, version, engine, language)
    if not request.session.session_key:
        # The page opens the session its script's requests share (previews, uploads,
        # evaluations): requests sent at once would otherwise each start their own, and the
        # last cookie to arrive would leave a picture uploaded under another one behind.
        # An empty session is never kept; with this mark the middleware writes it (once)
        # and sends its cookie with the page.
        request.session[SESSION_OPENED_KEY] = True
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
                logger.info(
                    "studio: design %s's version %s is still compiling",
                    design.pk,
                    design.version_id,
                )
                return render(
                    request, "studio/compiling.html", {"product": version.product}, status=503
                )
            shared = design_reopen_shared(design=design, saved=saved, engine=engine)
            selection, dropped = shared.current, shared.dropped
        selection = {
            k: v
            for k, v in selection.items()
            if k == PLACEMENT_KEY or engine.groups[k].kind != "image"
        }
    placed = selection.pop(PLACEMENT_KEY, None)
    uploads: dict[str, dict[str, Any]] = {}
    carried = _carried(request, engine, language)  # the design as it was, in another language
    if carried is not None:
        selection, uploads, placed = carried
        dropped = ()
    # A store's staff member designing for a customer (a token from the staff page): the
    # customer's defaults, while the staff member stays signed in as themselves.
    acting = acting_read(token=request.GET.get("for", ""), user=request.user)
    defaults = None
    if not selection:
        defaults = studio_defaults(
            engine=engine,
            product=version.product.sku,
            user=None if acting else request.user,
            language=language,
            personal=request.GET.get("defaults") != "merchant",
            customer=acting.history_customer if acting else None,
            context=None
            if acting
            else studio_context_for(user=request.user, session_key=request.session.session_key),
        )
        selection = defaults.selection
    placements = _placements(engine, placed, selection, language)
    evaluation = selection_evaluate(
        engine=engine,
        selection=selection,
        language=language,
        rankings=defaults.rankings if defaults else None,
        placements=placements,
    )
    state = evaluation_payload(evaluation, version, language, engine=engine)
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
    if placements:
        raw[PLACEMENT_KEY] = placements_json(placements)
    state["preview_url"] = preview_url(version, engine, raw)
    state["areas"] = _areas(version, engine)
    return _page(request, version, state, expanded=set(request.GET.getlist("more")), acting=acting)


def _areas(version: OptionSetVersion, engine: Any) -> dict[str, dict[str, Any]]:
    """For the script's handles: each placeable group's box on the preview (fractions of the
    picture) and the width-to-height ratio of every area it must stay inside."""
    by_view = placement_boxes_by_view(version.pk, engine.presentation)
    # The first view's boxes (the page opens on it); a version without view rows has its
    # layers under no view.
    boxes = (
        next(iter(by_view.values()))
        if by_view
        else placement_boxes(version.pk, engine.presentation)
    )
    return {
        group: {
            "box": boxes[group],
            "boxes": {view: shown[group] for view, shown in by_view.items() if group in shown},
            "ratios": [round(w / h, 5) for w, h in sizes],
        }
        for group, sizes in placement_areas(engine).items()
        if group in boxes
    }


def _placements(
    engine: Any, raw: Any, selection: dict[str, Any], language: str
) -> dict[str, Placement]:
    """The placements a reopened design or a carried selection brings, checked against
    this version's areas; none when they no longer fit (the elements start centred)."""
    try:
        return placements_parse(engine=engine, raw=raw, selection=selection, language=language)
    except ApplicationError as error:
        logger.info("studio: placements left out (%s, %s)", error.code, error.field)
        return {}


def _page(
    request: HttpRequest,
    version: OptionSetVersion,
    state: dict[str, Any],
    *,
    expanded: set[str],
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    placing: dict[str, Any] | None = None,
    status: int = 200,
    acting: Any = None,
) -> HttpResponse:
    """The studio page for ``state``: the form drawn from it, and it as JSON for the script.

    ``acting``: a store's staff member designing for a customer (``configurator/clienteling``).
    """
    language = get_language()
    asked = request.POST.get("show_view") or request.POST.get("view") or request.GET.get("view")
    views = studio_views(
        version=version,
        url=state["preview_url"],
        language=(language or "vi")[:2],
        current=str(asked or "")[:64],
    )
    shown = next((view for view in views if view["current"]), None)
    state["views"] = [{"code": view["code"], "name": view["name"]} for view in views]
    return render(
        request,
        "studio/studio.html",
        {
            "product": version.product,
            "version": version,
            "views": views,
            "view": shown["code"] if shown else "",
            "preview_src": shown["url"] if shown else state["preview_url"],
            "state": state,
            "text": _script_text(),
            "acting": acting,
            "consent_offer": consent_offer(user=request.user, language=language),
            "form": form_context(
                state=state,
                expanded=expanded,
                errors=errors or {},
                typed=typed or {},
                placing=placing or {},
            ),
            "expanded": sorted(expanded),
        },
        status=status,
    )


def _studio_post(
    request: HttpRequest, version: OptionSetVersion, engine: Any, language: str
) -> HttpResponse:
    """The form without JavaScript: update (also "show all" and a repair) or add to cart.

    The submitted selection is read as the API reads its JSON (``selection_parse``); a
    refusal is said beside its field, with the page as it was, and nothing is written. A
    picture is uploaded only once the rest of the form has been read without a refusal.
    """
    shopper = shopper_from_request(request)
    resolve = image_resolver(shopper)
    raw = form_selection(engine=engine, data=request.POST)
    expanded = {code for code in request.POST.getlist("expanded") if code in engine.groups}
    more = request.POST.get("more", "")
    if more in engine.groups:
        expanded ^= {more}
    try:
        form_throttle(request, upload=bool(request.FILES))
        selection_parse(engine=engine, raw=raw, resolve_image=resolve, language=language)
        for code in request.FILES:
            file = request.FILES.get(code)
            if file and code in engine.groups and engine.groups[code].kind == "image":
                raw[code] = str(_upload(shopper, file).id)
        raw = _repaired(request.POST.get("repair", ""), raw, engine, resolve, language)
        selection_parse(engine=engine, raw=raw, resolve_image=resolve, language=language)
        if request.POST.get("action") == "cart":
            cart_line_add(
                shopper=shopper,
                version=version,
                engine=engine,
                selection=raw,
                language=language,
                proposed_defaults=proposal_read(
                    token=request.POST.get("defaults", "")[:4096], sku=version.product.sku
                ),
            )
            return redirect("orders:cart")
    except ApplicationError as error:
        logger.info(
            "studio form refused for %s: %s (%s)", version.product.sku, error.code, error.field
        )
        return _refused(request, version, engine, language, raw, error, expanded)
    view = (request.POST.get("show_view") or request.POST.get("view") or "")[:64]
    query = urlencode(
        [
            ("s", encode_selection(raw)),
            *[("more", code) for code in sorted(expanded)],
            *([("view", view)] if view else []),
        ]
    )
    response = redirect(f"{reverse('studio:studio', args=[version.product.sku])}?{query}")
    response.status_code = 303  # see the result with a GET: a reload does not post again
    return response


def _upload(shopper: Any, file: UploadedFile) -> Any:
    """The shopper's picture from the form, refused unread when over the size limit."""
    if file.size is not None and file.size > UPLOAD_MAX_BYTES:
        raise UploadRefused(
            UploadCode.TOO_LARGE,
            _("The picture is larger than %(mb)s MB.") % {"mb": UPLOAD_MAX_BYTES // 2**20},
            "file",
        )
    return upload_create(shopper=shopper, data=file.read())


def _repaired(
    repair: str, raw: dict[str, Any], engine: Any, resolve: Any, language: str
) -> dict[str, Any]:
    """``raw`` with the repair of value ``group:value`` applied (the changes the studio
    offers beside a ruled-out value, then the value itself); ``raw`` when none is asked."""
    group, _sep, value = repair.partition(":")
    spec = engine.groups.get(group)
    if spec is None or not spec.has_values or spec.value(value) is None:
        return raw
    selection = selection_parse(engine=engine, raw=raw, resolve_image=resolve, language=language)
    evaluation = selection_evaluate(
        engine=engine, selection=selection, language=language, explain=[(group, value)]
    )
    state = next(g for g in evaluation.groups if g.code == group)
    found = next((v for v in state.values if v.code == value), None)
    # A number group offers its repair beside each ruled-out run, named by its first number.
    run = next((r for r in state.ranges if r.first == value), None)
    reason = found.reason if found else run.reason if run else None
    changes = dict(reason.repair or {}) if reason else {}
    repaired = {k: v for k, v in raw.items() if k not in changes and k != group}
    repaired.update(changes)
    if spec.kind == "multi":
        current = [v for v in raw.get(group, []) if v != value]
        repaired[group] = [*current, value]
    else:
        repaired[group] = value
    return repaired


def _refused(
    request: HttpRequest,
    version: OptionSetVersion,
    engine: Any,
    language: str,
    raw: dict[str, Any],
    error: ApplicationError,
    expanded: set[str],
) -> HttpResponse:
    """The page again, as submitted but for the refused field, with the refusal beside it."""
    shopper = shopper_from_request(request)
    resolve = image_resolver(shopper)
    code = (error.field or "").removeprefix("selection.")
    if code == "file":  # the upload service names its own field
        code = next((c for c in request.FILES if c in engine.groups), "")
    placed = code.startswith(PLACEMENT_KEY)
    if placed:  # a refused placement: said beside its group's fields, the group kept
        code = code.removeprefix(PLACEMENT_KEY).strip(".").split(".")[0]
    kept = {k: v for k, v in raw.items() if k != PLACEMENT_KEY and (placed or k != code)}
    try:
        selection = selection_parse(
            engine=engine, raw=kept, resolve_image=resolve, language=language
        )
    except ApplicationError:
        kept = dict(merchant_defaults(engine).selection)
        selection = dict(kept)
    evaluation = selection_evaluate(engine=engine, selection=selection, language=language)
    state = evaluation_payload(evaluation, version, language, engine=engine)
    # A picture uploaded but not applied stays the shopper's: the form keeps offering it.
    uploads = {
        c: {"id": raw[c], "width": v.width, "height": v.height}
        for c, v in _pictures(engine, raw, resolve).items()
    }
    state.update(
        reasons={},
        defaults_basis=DefaultSource.MERCHANT.value,
        personalized=False,
        defaults_token=None,
        dropped=[],
        design=None,
        uploads=uploads,
        preview_url=preview_url(version, engine, kept),
        areas=_areas(version, engine),
    )
    field = code if code in engine.groups else ""
    typed = {
        c: str(v)
        for c, v in raw.items()
        if c in engine.groups
        and (engine.groups[c].kind == "text" or engine.groups[c].number is not None)
        and v is not None
    }
    placing = raw.get(PLACEMENT_KEY) if isinstance(raw.get(PLACEMENT_KEY), dict) else {}
    return _page(
        request,
        version,
        state,
        expanded=expanded,
        errors={(f"{field}--place" if placed else field): error.detail},
        typed=typed,
        placing=placing,
        status=400,
    )


def _pictures(engine: Any, raw: dict[str, Any], resolve: Any) -> dict[str, Any]:
    """The shopper's own uploads among ``raw``'s image groups (others are left out)."""
    found = {}
    for code, value in raw.items():
        if code in engine.groups and engine.groups[code].kind == "image" and value:
            try:
                found[code] = resolve(code, value)
            except ApplicationError:
                logger.info("studio form: upload %s of group %s is not this shopper's", value, code)
    return found


def _draft(request: HttpRequest, sku: str) -> OptionSetVersion | None:
    """The draft ``?draft=<id>`` asks for, remembered in the session so that the studio's
    evaluations and previews use it too; None (and forgotten) without ``?draft``. Raises
    Http404 for anyone who may not see drafts, and for a version that is no draft."""
    reference = request.GET.get("draft", "")
    if not reference:
        draft_preview_remember(session=request.session, sku=sku, version=None)
        return None
    if not can_preview_drafts(request.user) or not reference.isdigit():
        raise Http404(sku)
    try:
        draft = draft_version_get(sku=sku, pk=int(reference))
    except OptionSetVersion.DoesNotExist:
        raise Http404(sku) from None
    draft_preview_remember(session=request.session, sku=sku, version=draft)
    return draft


@require_GET
def version_preview(request: HttpRequest, sku: str, pk: int) -> HttpResponse:
    """A picture of a version's preview layers (default choices, sample texts), for the
    merchant's admin page of the version; staff only, never kept."""
    if not can_preview_drafts(request.user):
        raise Http404(sku)
    version = get_object_or_404(
        OptionSetVersion.objects.select_related("product"), pk=pk, product__sku=sku
    )
    try:
        if version.is_published:
            engine = studio_engine(version=version)
        else:
            engine = draft_engine(version=version)
    except (EngineError, NotCompiledYet):
        logger.info("studio: no engine for the layer preview of version %s", pk)
        raise Http404(sku) from None
    language = (get_language() or "vi")[:2]
    view = request.GET.get("v", "")[:64]
    try:
        image = layer_preview_image(version=version, engine=engine, language=language, view=view)
    except UnknownView:
        logger.info("studio: version %s has no view %r for its layer preview", pk, view)
        raise Http404(sku) from None
    response = HttpResponse(image, content_type=CONTENT_TYPES["png"])
    response["Cache-Control"] = "no-store"
    return response


def _carried(
    request: HttpRequest, engine: Any, language: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]], Any] | None:
    """The selection carried in the URL's ``s`` (base64url JSON, as preview URLs carry it),
    with the shopper's own uploads among it and its placements; None when absent or not a
    valid selection.

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
    return parsed, uploads, raw.get(PLACEMENT_KEY)


def _script_text() -> dict[str, str]:
    """The studio script's words, in the page's language (sent through ``json_script``)."""
    return {
        "available": _("available"),
        "unavailable": _("not available with your choices"),
        "switch": _("Switch to it"),
        "numberHint": _("From %(min)s to %(max)s, in steps of %(step)s."),
        "switchChanges": _("changes"),
        "showAllMore": _("Show all (%(count)s more)"),
        "showFewer": _("Show fewer"),
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
        "stepTitle": _("Step %(number)s/%(total)s · %(names)s"),
        "review": _("Review"),
        "choosePicture": _("Choose a picture"),
        "noPicture": _("No picture chosen"),
        "dropHere": _("or drop it here"),
        "place": _("Move, resize or turn"),
        "placeReset": _("Reset position"),
        "placeResize": _("Drag to resize"),
        "placeTurn": _("Drag to turn"),
        "placeLabel": _("Position of %(name)s"),
        "placeHelp": _(
            "Drag to move it; drag the square corner to resize it and the round handle to "
            "turn it. With the keyboard: arrow keys move it, + and − resize it, [ and ] turn "
            "it (hold Shift for bigger steps)."
        ),
        "placeSays": _(
            "%(name)s: %(x)s%% across, %(y)s%% down, size %(scale)s%%, turned %(rotation)s°"
        ),
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
