"""Strings of Django's admin and of django-nested-admin that their own Vietnamese catalogs
lack or get wrong for a shop owner. Listed here so ``makemessages`` keeps them in
``locale/vi``, which Django reads before its own catalogs (``LOCALE_PATHS``).
"""

from django.utils.translation import gettext_noop

ADMIN_STRINGS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Please correct the error below."),
    gettext_noop("Please correct the errors below."),
)
