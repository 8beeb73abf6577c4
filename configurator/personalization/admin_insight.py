"""The merchant's insight page of a product, in the admin: acceptance and take rates.

Served at an admin-site URL (``configurator/urls.py``) and linked from the product's admin
page through the catalog's extension point, so the catalog never imports this module.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import Product

from .charts import Series, line_chart
from .insight import ProductInsight, product_insight
from .models import DefaultSource


def insight_link(product: Product) -> tuple[str, str]:
    """The "Insight" button of a product's admin page."""
    return _("Insight"), reverse("product-insight", args=[product.pk])


def product_insight_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff with the view permission on products; wrapped in ``admin_view`` (sign-in)."""
    if not request.user.has_perm("catalog.view_product"):
        raise PermissionDenied
    product = get_object_or_404(Product, pk=pk)
    language = (get_language() or "vi")[:2]
    insight = product_insight(sku=product.sku, language=language)
    context = {
        **admin.site.each_context(request),
        "title": _("Insight: %(product)s") % {"product": product.sku},
        "product": product,
        "opts": Product._meta,
        "insight": insight,
        "sources": dict(DefaultSource.choices),
        "acceptance_chart": mark_safe(_acceptance_chart(insight)),  # line_chart escapes every text
        "acceptance_weekly": [
            (week, [a.weekly.get(week) for a in insight.acceptance]) for week in insight.weeks
        ],
        "take_sections": _take_sections(insight),
    }
    return render(request, "admin/personalization/product_insight.html", context)


def _acceptance_chart(insight: ProductInsight) -> str:
    if not insight.acceptance:
        return ""
    return line_chart(
        chart_id="acceptance-chart",
        title=_("Acceptance rate per week"),
        description=_(
            "Share of ordered lines that kept the pre-selected value, per option group and "
            "week; the table below gives the same numbers."
        ),
        weeks=insight.weeks,
        series=[
            Series(
                a.name,
                [_percent(a.weekly.get(week)) for week in insight.weeks],
            )
            for a in insight.acceptance
        ],
    )


def _take_sections(insight: ProductInsight) -> list[dict[str, Any]]:
    """Per option group: its values' take rates, weekly rows and chart."""
    sections = []
    for group, name in insight.group_names.items():
        takes = [t for t in insight.takes if t.group == group]
        chart = line_chart(
            chart_id=f"take-chart-{group}",
            title=_("Take rate per week: %(group)s") % {"group": name},
            description=_(
                "Share of ordered lines choosing each value, per week; the table below gives "
                "the same numbers."
            ),
            weeks=insight.weeks,
            series=[
                Series(t.name, [_percent(t.weekly.get(week)) for week in insight.weeks])
                for t in takes
            ],
        )
        sections.append(
            {
                "group": group,
                "name": name,
                "takes": takes,
                "weekly": [(week, [t.weekly.get(week) for t in takes]) for week in insight.weeks],
                "chart": mark_safe(chart),  # line_chart escapes every text
            }
        )
    return sections


def _percent(rate: Any) -> float | None:
    return None if rate is None else rate.percent
