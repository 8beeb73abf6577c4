from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import SignupForm
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
