"""My designs: the list, reopen and delete."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import Design
from .shoppers import shopper_from_request


def my_designs(request: HttpRequest) -> HttpResponse:
    shopper = shopper_from_request(request)
    designs = Design.objects.filter(shopper.owns()).select_related("product", "version")
    return render(request, "designs/list.html", {"designs": designs})


@require_POST
def design_delete(request: HttpRequest, design_id: str) -> HttpResponse:
    shopper = shopper_from_request(request)
    deleted, _ = Design.objects.filter(shopper.owns(), pk=design_id).delete()
    if not deleted:
        raise Http404(design_id)
    return redirect("designs:list")
