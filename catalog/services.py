"""Writes of the catalog: import, publish and new draft of option-set versions.

Every service is atomic and validates before it saves; on a refusal nothing is written.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .checks import option_set_check
from .extensions import Problem, publish_listeners
from .format import (
    GroupData,
    LayerData,
    OptionSetData,
    OptionSetFormatError,
    ProductData,
    RuleData,
    parse_option_set,
)
from .libraries import library_groups_refresh, library_references_resolve
from .limits import DEFAULT_LIMITS, DocumentRefused, read_option_set
from .models import (
    Library,
    OptionGroup,
    OptionSetVersion,
    OptionValue,
    PreviewLayer,
    Product,
    ProductView,
    Rule,
    RuleKind,
    VersionStatus,
)
from .selectors import option_set_next_number, product_document

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
NUMBER_ATTEMPTS = 3


class PublishRefused(Exception):
    """The version cannot be published; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.path}: {p.message} [{p.code}]" for p in self.problems))


class DraftAlreadyExists(Exception):
    """The product already has a draft; merchants edit one draft at a time."""

    def __init__(self, draft: OptionSetVersion) -> None:
        self.draft = draft
        super().__init__(
            f"{draft.product.sku} already has a draft (version {draft.number}); "
            "publish it or delete it before starting a new one."
        )


def option_set_import(
    *, document: dict[str, Any] | bytes, publish: bool = False, now: datetime | None = None
) -> OptionSetVersion:
    """Write ``document`` into the draft of its product (created when missing) and return it.

    ``document`` is the parsed document or the bytes of its file; bytes are read within the
    import's limits (size, depth, numbers: ``format.E07x``). The product is created or
    updated by SKU; the draft's groups, values, rules and preview layers are replaced by the
    document's. With ``publish``, the draft is then published in the same transaction.
    Raises ``OptionSetFormatError`` or ``PublishRefused``; either way nothing is written.
    """
    if isinstance(document, bytes):
        document = option_set_read(raw=document)
    try:
        document, libraries = library_references_resolve(document=document)
        data = parse_option_set(document)
    except OptionSetFormatError as refused:
        logger.info(
            "option-set import refused: %d problem(s), first %s %s",
            len(refused.problems),
            refused.problems[0].code if refused.problems else "-",
            refused.problems[0].path if refused.problems else "-",
        )
        raise
    with transaction.atomic():
        product = _product_save(data.product)
        version = (
            OptionSetVersion.objects.select_for_update()
            .filter(product=product, status=VersionStatus.DRAFT)
            .first()
        )
        if version is None:
            version = OptionSetVersion.objects.create(
                product=product, number=option_set_next_number(product=product), note=data.note
            )
        else:
            _version_clear(version)
            version.note = data.note
            version.save(update_fields=["note"])
        _content_write(version, data, libraries)
        if publish:
            version = option_set_publish(version=version, now=now)
    return version


def option_set_read(*, raw: bytes) -> Any:
    """The document in the bytes of a file; raises ``OptionSetFormatError`` with the limit
    it passes (``CONFIGURATOR_OPTION_SET_MAX_BYTES``, depth, digits) or why it is not JSON."""
    limits = replace(DEFAULT_LIMITS, max_bytes=settings.CONFIGURATOR_OPTION_SET_MAX_BYTES)
    try:
        return read_option_set(raw, limits)
    except DocumentRefused as refused:
        logger.info(
            "option-set document refused: %s %s (%d bytes)",
            refused.problem.code,
            refused.problem.path,
            len(raw),
        )
        raise OptionSetFormatError([refused.problem]) from None


def _product_save(data: ProductData) -> Product:
    fields = {
        "name_vi": data.name.vi,
        "name_en": data.name.en,
        "description_vi": data.description.vi,
        "description_en": data.description.en,
        "base_price": data.base_price,
        "base_cost": data.base_cost,
        "min_margin": data.min_margin,
        "currency": data.currency,
        "max_visible_values": data.max_visible_values,
        "is_active": data.active,
    }
    product = Product.objects.select_for_update().filter(sku=data.sku).first()
    if product is None:
        return Product.objects.create(sku=data.sku, **fields)
    for name, item in fields.items():
        setattr(product, name, item)
    product.save()
    return product


def _version_clear(version: OptionSetVersion) -> None:
    """Delete the content of a draft; layers and rules first so the cascades stay cheap."""
    PreviewLayer.objects.filter(version=version).delete()
    ProductView.objects.filter(version=version).delete()
    Rule.objects.filter(version=version).delete()
    OptionValue.objects.filter(group__version=version).delete()
    OptionGroup.objects.filter(version=version).delete()


def _content_write(
    version: OptionSetVersion, data: OptionSetData, libraries: dict[str, Library]
) -> None:
    groups = OptionGroup.objects.bulk_create(
        [
            _group_row(version, position, group, libraries.get(group.library))
            for position, group in enumerate(data.groups)
        ],
        batch_size=BATCH_SIZE,
    )
    values = OptionValue.objects.bulk_create(
        [
            OptionValue(
                group=group,
                code=value.code,
                name_vi=value.name.vi,
                name_en=value.name.en,
                position=position,
                price_delta=value.price_delta,
                cost=value.cost,
                production_code=value.production_code,
                swatch=value.swatch,
                image=value.image,
                attributes=value.attributes,
                is_default=value.default,
                is_active=value.active,
                extensions=value.extensions,
            )
            for group, group_data in zip(groups, data.groups, strict=True)
            for position, value in enumerate(group_data.values)
        ],
        batch_size=BATCH_SIZE,
    )
    Rule.objects.bulk_create(
        [_rule_row(version, position, rule) for position, rule in enumerate(data.rules)],
        # One INSERT per rule: on PostgreSQL, Django's multi-row insert goes through UNNEST of
        # arrays, and psycopg escapes each JSON array element with a regular expression per
        # quote: seconds for tables of tens of thousands of rows, against milliseconds here.
        batch_size=1,
    )
    group_ids = {group.code: group.pk for group in groups}
    value_ids = {(value.group_id, value.code): value.pk for value in values}
    views = ProductView.objects.bulk_create(
        [
            ProductView(
                version=version,
                code=view.code,
                name_vi=view.name.vi,
                name_en=view.name.en,
                position=position,
                prints=view.prints,
            )
            for position, view in enumerate(data.views)
        ]
    )
    # A layer that names no view belongs to the first one.
    view_ids = {view.code: view.pk for view in views} | {"": views[0].pk if views else None}
    PreviewLayer.objects.bulk_create(
        [
            _layer_row(version, position, layer, group_ids, value_ids, view_ids)
            for position, layer in enumerate(data.layers)
        ]
    )


def _group_row(
    version: OptionSetVersion, position: int, group: GroupData, library: Library | None
) -> OptionGroup:
    return OptionGroup(
        version=version,
        library=library,
        code=group.code,
        name_vi=group.name.vi,
        name_en=group.name.en,
        kind=group.kind,
        position=position,
        step=group.step,
        required=group.required,
        max_visible_values=group.max_visible_values,
        curated_order=group.curated_order,
        help_vi=group.help.vi,
        help_en=group.help.en,
        min_values=group.min,
        max_values=group.max,
        max_length=group.max_length,
        pattern=group.pattern,
        price_per_char=group.price_per_char,
        price_delta=group.price_delta,
        cost=group.cost,
        cost_per_char=group.cost_per_char,
        max_bytes=group.max_bytes,
        min_width=group.min_width,
        min_height=group.min_height,
        formats=list(group.formats),
        number_min=group.number_min,
        number_max=group.number_max,
        number_increment=group.number_increment,
        number_default=group.number_default,
        unit=group.unit,
        price_per_unit=group.price_per_unit,
        price_formula=group.price_formula,
        extensions=group.extensions,
    )


def _rule_row(version: OptionSetVersion, position: int, rule: RuleData) -> Rule:
    table = rule.kind in (RuleKind.ALLOWED, RuleKind.FORBIDDEN)
    return Rule(
        version=version,
        rule_id=rule.id,
        kind=rule.kind,
        position=position,
        message_vi=rule.message.vi,
        message_en=rule.message.en,
        table_groups=list(rule.groups) if table else [],
        rows=rule.rows if table else [],
        condition_if={} if table else rule.if_,
        condition_then={} if table else rule.then,
        extensions=rule.extensions,
    )


def _layer_row(
    version: OptionSetVersion,
    position: int,
    layer: LayerData,
    group_ids: dict[str, int],
    value_ids: dict[tuple[int, str], int],
    view_ids: dict[str, int | None],
) -> PreviewLayer:
    group_id = group_ids[layer.group] if layer.group is not None else None
    # The format guarantees a layer's value comes with its group.
    value_id = value_ids[(group_id, layer.value)] if group_id and layer.value else None
    return PreviewLayer(
        version=version,
        view_id=view_ids[layer.view],
        kind=layer.kind,
        position=position,
        group_id=group_id,
        value_id=value_id,
        image=layer.image,
        font=layer.font,
        text_color=layer.text_color,
        color_group_id=group_ids[layer.color_group] if layer.color_group else None,
        font_group_id=group_ids[layer.font_group] if layer.font_group else None,
        x=layer.x,
        y=layer.y,
        width=layer.width,
        height=layer.height,
        print_dpi=layer.print_dpi,
        print_width_mm=layer.print_width_mm,
        print_height_mm=layer.print_height_mm,
    )


def option_set_publish(
    *, version: OptionSetVersion, now: datetime | None = None
) -> OptionSetVersion:
    """Publish the draft ``version``: freeze it with a snapshot of the product, and after the
    commit tell every publish listener its id.

    Raises :class:`PublishRefused` when the version is not a draft or its Check reports an
    error. The returned version carries the report that allowed it as ``check_report``.
    """
    with transaction.atomic():
        version = (
            OptionSetVersion.objects.select_for_update()
            .select_related("product")
            .get(pk=version.pk)
        )
        if version.status != VersionStatus.DRAFT:
            logger.info("publish refused: version %s is not a draft", version.pk)
            raise PublishRefused(
                [
                    Problem(
                        code="publish.E001",
                        message=f"Version {version.number} is already published.",
                    )
                ]
            )
        report = option_set_check(version=version)
        if report.errors:
            logger.info(
                "publish refused: %s v%s (version id %s) has %d error(s), first %s",
                version.product.sku,
                version.number,
                version.pk,
                len(report.errors),
                report.errors[0].code,
            )
            raise PublishRefused(report.errors)
        version.status = VersionStatus.PUBLISHED
        version.published_at = now or timezone.now()
        version.frozen_product = product_document(product=version.product)
        version.save(update_fields=["status", "published_at", "frozen_product"])
        version_id = version.pk
        for listener in publish_listeners():
            transaction.on_commit(partial(listener, version_id))
    version.check_report = report  # type: ignore[attr-defined]
    return version


def option_set_version_add(*, version: OptionSetVersion) -> OptionSetVersion:
    """Saves a new ``version`` (made in the admin) under the next number of its product.

    The number is never typed: it is one more than the product's highest. The product's row
    is locked while the number is taken, so two additions at once wait for each other; and
    should a version appear without that lock, the unique constraint on (product, number)
    refuses the duplicate and the next number is taken instead.
    """
    for attempt in range(1, NUMBER_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                product = Product.objects.select_for_update().get(pk=version.product_id)
                version.number = option_set_next_number(product=product)
                version.save()
            return version
        except IntegrityError:
            version.pk = None
            taken = OptionSetVersion.objects.filter(
                product_id=version.product_id, number=version.number
            ).exists()
            if not taken or attempt == NUMBER_ATTEMPTS:
                raise
            logger.warning(
                "Version number %s of product %s was taken meanwhile; attempt %s",
                version.number,
                version.product_id,
                attempt,
            )
    raise AssertionError("unreachable")


def option_set_new_draft(*, version: OptionSetVersion) -> OptionSetVersion:
    """A new draft holding a copy of ``version`` (groups, values, rules, preview layers).

    Raises :class:`DraftAlreadyExists` when the product has a draft already.
    """
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=version.product_id)
        draft = OptionSetVersion.objects.filter(product=product, status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise DraftAlreadyExists(draft)
        source = OptionSetVersion.objects.get(pk=version.pk)
        copy = OptionSetVersion.objects.create(
            product=product,
            number=option_set_next_number(product=product),
            created_from=source,
            note=source.note,
        )
        _content_copy(source, copy)
        library_groups_refresh(version=copy)  # the libraries as they are now
    return copy


def _content_copy(source: OptionSetVersion, target: OptionSetVersion) -> None:
    groups = list(OptionGroup.objects.filter(version=source).order_by("position", "id"))
    old_group_ids = [group.pk for group in groups]
    for group in groups:
        group.pk = None
        group.version = target
    OptionGroup.objects.bulk_create(groups, batch_size=BATCH_SIZE)
    group_map = dict(zip(old_group_ids, (group.pk for group in groups), strict=True))
    values = list(OptionValue.objects.filter(group__version=source).order_by("id"))
    old_value_ids = [value.pk for value in values]
    for value in values:
        value.pk = None
        value.group_id = group_map[value.group_id]
    OptionValue.objects.bulk_create(values, batch_size=BATCH_SIZE)
    value_map = dict(zip(old_value_ids, (value.pk for value in values), strict=True))
    rules = list(Rule.objects.filter(version=source).order_by("id"))
    for rule in rules:
        rule.pk = None
        rule.version = target
    Rule.objects.bulk_create(rules, batch_size=1)  # see _content_write
    views = list(ProductView.objects.filter(version=source).order_by("id"))
    old_view_ids = [view.pk for view in views]
    for view in views:
        view.pk = None
        view.version = target
    ProductView.objects.bulk_create(views)
    view_map = dict(zip(old_view_ids, (view.pk for view in views), strict=True))
    layers = list(PreviewLayer.objects.filter(version=source).order_by("id"))
    for layer in layers:
        layer.pk = None
        layer.version = target
        layer.view_id = view_map.get(layer.view_id) if layer.view_id else None
        layer.group_id = group_map.get(layer.group_id) if layer.group_id else None
        layer.value_id = value_map.get(layer.value_id) if layer.value_id else None
        layer.color_group_id = group_map.get(layer.color_group_id) if layer.color_group_id else None
        layer.font_group_id = group_map.get(layer.font_group_id) if layer.font_group_id else None
    PreviewLayer.objects.bulk_create(layers)
