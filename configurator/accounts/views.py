from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from configurator.orders.models import Order
from configurator.orders.selectors import purchases_named
from configurator.personalization.responses import history_download
from configurator.personalization.selectors import customer_export
from configurator.personalization.services import (
    customer_erase,
    customer_for_account,
    customer_for_user,
    customer_personalization_set,
)

from .forms import EraseForm, SignupForm
from .services import shopper_signed_in


class ShopperLoginView(LoginView):
    template_name = "accounts/login.html"

    def form_valid(self, form):
        session_key = self.request.session.session_key or ""
        response = super().form_valid(form)
        shopper_signed_in(user_id=form.get_user().pk, session_key=session_key)
        return response


def signup(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/designs/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/designs/"
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            session_key = request.session.session_key or ""
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            shopper_signed_in(user_id=user.pk, session_key=session_key)
            return redirect(next_url)
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, erase_form=EraseForm())


def _account_page(request: HttpRequest, *, erase_form: EraseForm) -> HttpResponse:
    """The shopper's account: personalized defaults on or off, purchase history, orders."""
    customer = customer_for_user(request.user)
    export = customer_export(customer=customer) if customer is not None else None
    orders = Order.objects.filter(owner_id=request.user.pk).only(
        "number", "placed_at", "total", "currency"
    )
    return render(
        request,
        "accounts/account.html",
        {
            "personalized": export["personalized_defaults"] if export else True,
            "purchases": purchases_named(
                purchases=list(reversed(export["purchases"])), owner_id=request.user.pk
            )
            if export
            else [],
            "orders": list(orders),
            "erase_form": erase_form,
        },
    )


@login_required
@require_POST
def account_personalization(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("personalized_defaults") == "on"
    customer_personalization_set(customer=customer_for_account(user=request.user), enabled=enabled)
    if enabled:
        messages.success(request, _("Options are pre-selected from your past orders again."))
    else:
        messages.success(request, _("Options are no longer pre-selected from your past orders."))
    return redirect("accounts:account")


@login_required
@require_GET
def account_export(request: HttpRequest) -> HttpResponse:
    return history_download(user=request.user)


@login_required
@require_POST
def account_erase(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    if not form.is_valid():  # the box unticked: say why beside it, erase nothing
        return _account_page(request, erase_form=form)
    customer = customer_for_user(request.user)
    if customer is not None:
        customer_erase(customer=customer)
    messages.success(request, _("Your purchase history and preferences are erased."))
    return redirect("accounts:account")
