from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from configurator.orders.models import Order
from configurator.orders.selectors import purchases_named
from configurator.personalization.consent import (
    current_notice,
    may_personalize,
    message_preferences,
    message_preferences_set,
    notice_get,
)
from configurator.personalization.errors import ConsentRefused
from configurator.personalization.models import (
    ConsentPurpose,
    ConsentRegime,
    PersonalizationSettings,
)
from configurator.personalization.responses import history_download
from configurator.personalization.selectors import customer_export
from configurator.personalization.services import (
    customer_erase,
    customer_for_account,
    customer_for_user,
    customer_personalization_set,
)

from .forms import EraseForm, MessagesForm, SignupForm
from .services import shopper_signed_in

logger = logging.getLogger(__name__)

CONSENTS_SHOWN = 20  # the latest decisions on the page; the export has them all


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


def _account_page(
    request: HttpRequest,
    *,
    erase_form: EraseForm,
    messages_form: MessagesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The shopper's account: suggestions from past orders on or off (with the notice
    shown), the messages they receive, purchase history, their consents, orders."""
    customer = customer_for_user(request.user)
    export = customer_export(customer=customer) if customer is not None else None
    language = (get_language() or "vi")[:2]
    personalization_notice = current_notice(ConsentPurpose.PERSONALIZATION)
    marketing_notice = current_notice(ConsentPurpose.MARKETING)
    preferences = message_preferences(customer)
    if messages_form is None:
        messages_form = MessagesForm(
            initial={
                "offers": "yes" if preferences.offers else "no",
                "channels": preferences.channels,
            }
        )
    orders = Order.objects.filter(owner_id=request.user.pk).only(
        "number", "placed_at", "total", "currency"
    )
    return render(
        request,
        "accounts/account.html",
        {
            "personalized": may_personalize(customer),
            "opt_in": PersonalizationSettings.current().consent_regime == ConsentRegime.OPT_IN,
            "personalization_notice": personalization_notice,
            "personalization_notice_text": personalization_notice.text(language),
            "marketing_notice": marketing_notice,
            "marketing_notice_text": marketing_notice.text(language),
            "messages_form": messages_form,
            "consents": customer.consents.all()[:CONSENTS_SHOWN] if customer else [],
            "purchases": purchases_named(
                purchases=list(reversed(export["purchases"])), owner_id=request.user.pk
            )
            if export
            else [],
            "orders": list(orders),
            "erase_form": erase_form,
        },
        status=status,
    )


@login_required
@require_POST
def account_personalization(request: HttpRequest) -> HttpResponse:
    """Suggestions from past orders on or off, from the account page or the studio's offer
    (which sends ``next``, the studio page to return to): a consent given or withdrawn,
    with the version of the notice the shopper was shown."""
    enabled = request.POST.get("personalized_defaults") == "on"
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    try:
        notice = (
            notice_get(purpose=ConsentPurpose.PERSONALIZATION, version=request.POST["notice"])
            if request.POST.get("notice")
            else None
        )
    except ConsentRefused as refused:
        logger.info("user %s: personalization switch refused: %s", request.user.pk, refused.code)
        messages.error(request, refused.detail)
        return redirect(next_url or "accounts:account")
    customer_personalization_set(
        customer=customer_for_account(user=request.user), enabled=enabled, notice=notice
    )
    if next_url:  # back to the studio: its banner says what changed
        return redirect(next_url)
    if enabled:
        messages.success(request, _("Options are pre-selected from your past orders again."))
    else:
        messages.success(request, _("Options are no longer pre-selected from your past orders."))
    return redirect("accounts:account")


@login_required
@require_POST
def account_messages(request: HttpRequest) -> HttpResponse:
    """Order updates only, or offers too by the channels ticked: a consent for purpose
    ``marketing``; a refusal says why beside the field and records nothing."""
    form = MessagesForm(request.POST)
    if not form.is_valid():
        return _account_page(request, erase_form=EraseForm(), messages_form=form, status=400)
    try:
        notice = notice_get(purpose=ConsentPurpose.MARKETING, version=request.POST.get("notice"))
        message_preferences_set(
            customer=customer_for_account(user=request.user),
            offers=form.cleaned_data["offers"],
            channels=form.cleaned_data["channels"],
            notice=notice,
        )
    except ConsentRefused as refused:
        logger.info("user %s: message choices refused: %s", request.user.pk, refused.code)
        form.add_error(None, refused.detail)
        return _account_page(request, erase_form=EraseForm(), messages_form=form, status=400)
    messages.success(request, _("Your message choices are saved."))
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
