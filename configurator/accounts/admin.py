"""The sign-in lockout's records (django-axes) with their columns named for a shop owner.

django-axes names two columns of its attempts' list from method names ("Status"), which no
catalog can translate; these subclasses give them translatable names and change nothing else.
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SignInAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, obj: AccessAttempt) -> str:
        return str(super().status(obj))

    @admin.display(description=_("Expires At"))
    def expiration(self, obj: AccessAttempt) -> object:
        return super().expiration(obj)


# django-axes names its app from its label ("Axes"), untranslatable; the admin's index and
# sidebar show this name instead.
apps.get_app_config("axes").verbose_name = _("Sign-in lockout")

if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, SignInAttemptAdmin)
