"""The admin's upload of a purchase-events file."""

from __future__ import annotations

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _


class PurchaseEventsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Purchase-events file (.csv or .csv.gz)"),
        validators=[FileExtensionValidator(["csv", "gz"])],
    )
    strict = forms.BooleanField(
        label=_("Refuse the whole file when a line is bad"),
        help_text=_("Otherwise the good lines are imported and the bad ones listed."),
        required=False,
    )
