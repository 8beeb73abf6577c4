"""My designs: the list, reopen and delete."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .display import both_languages, selection_choices, thumbnail_url, version_names
from .models import Design
from .shoppers import shopper_from_request


def my_designs(request: HttpRequest) -> HttpResponse:
    shopper = shopper_from_request(request)
    designs = list(
        Design.objects.filter(shopper.owns()).select_related("product", "version__product")
    )
    names = version_names(design.version_id for design in designs)
    rows = [
        {
            "design": design,
            "product_name": both_languages(design.product.names, design.product.sku),
            "choices": selection_choices(design.selection, names[design.version_id]),
            "thumbnail": thumbnail_url(design.version, design.selection),
        }
        for design in designs
    ]
    return render(request, "designs/list.html", {"rows": rows})


@require_POST
def design_delete(request: HttpRequest, design_id: str) -> HttpResponse:
    shopper = shopper_from_request(request)
    deleted, _ = Design.objects.filter(shopper.owns(), pk=design_id).delete()
    if not deleted:
        raise Http404(design_id)
    return redirect("designs:list")
