from django import forms
from django.utils.translation import gettext_lazy as _

from .payments import payment_providers


class CheckoutForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=120)
    email = forms.EmailField(label=_("Email"))
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+?[0-9 .-]{8,20}$",
        max_length=20,
        error_messages={"invalid": _("Enter a phone number, e.g. 0901 234 567.")},
    )
    address = forms.CharField(label=_("Address"), max_length=300)
    province = forms.CharField(label=_("Province or city"), max_length=80)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea)
    payment = forms.ChoiceField(label=_("Payment"), widget=forms.RadioSelect)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, language: str = "vi", **kwargs):
        super().__init__(*args, **kwargs)
        payment = self.fields["payment"]
        assert isinstance(payment, forms.ChoiceField)
        payment.choices = [
            (p.code, p.name.get(language) or p.name.get("vi", p.code)) for p in payment_providers()
        ]
        payment.initial = "manual"


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=99)
