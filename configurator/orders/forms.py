from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .addresses import PHONE_MAX_LENGTH, phone_e164, province_name, provinces, ward_name, wards
from .payments import payment_providers


class CheckoutForm(forms.Form):
    """Who receives the order and where: a Vietnamese phone and a two-level address.

    ``cleaned_data`` carries what :class:`~configurator.orders.services.Shipping` keeps: the
    phone in E.164, the province and ward by name (as the shopper saw them) and by code.
    """

    name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=PHONE_MAX_LENGTH,
        help_text=_("A Vietnamese number, e.g. 0912 345 678."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    province = forms.ChoiceField(label=_("Province or city"))
    # A select of the chosen province's wards; a text field underneath, so that clean()
    # answers a ward of another province with what is wrong rather than "invalid choice".
    ward = forms.CharField(label=_("Ward or commune"), max_length=6, widget=forms.Select)
    address = forms.CharField(
        label=_("House number and street"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args: Any, language: str = "vi", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        payment = self.fields["payment"]
        assert isinstance(payment, forms.ChoiceField)
        payment.choices = [
            (p.code, p.name.get(language) or p.name.get("vi", p.code)) for p in payment_providers()
        ]
        payment.initial = "manual"
        province = self.fields["province"]
        assert isinstance(province, forms.ChoiceField)
        province.choices = [("", _("Choose a province or city")), *provinces()]
        chosen = self.chosen_province()
        ward = self.fields["ward"].widget
        assert isinstance(ward, forms.Select)
        ward.choices = [
            ("", _("Choose a ward or commune") if chosen else _("Choose the province first")),
            *wards(chosen),
        ]

    def chosen_province(self) -> str:
        """The province code the form was sent or opened with ("" when none)."""
        source: Mapping[str, Any] = self.data if self.is_bound else self.initial
        value = source.get(self.add_prefix("province") if self.is_bound else "province", "")
        return str(value or "")[:3]

    def clean_phone(self) -> str:
        phone = phone_e164(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="phone"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province_code, ward_code = data.get("province"), data.get("ward")
        if province_code and ward_code:
            name = ward_name(ward_code, province_code=province_code)
            if name is None:
                self.add_error(
                    "ward",
                    forms.ValidationError(
                        _("This ward or commune is not in %(province)s."),
                        code="ward_province",
                        params={"province": province_name(province_code)},
                    ),
                )
                return data
            data.update(
                province_code=province_code,
                province=province_name(province_code),
                ward_code=ward_code,
                ward=name,
            )
        return data


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=99)
