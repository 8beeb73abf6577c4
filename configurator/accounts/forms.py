from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from configurator.personalization.models import MessageChannel


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email exists; sign in instead."))
        return email


class EraseForm(forms.Form):
    """The account page's erase button: it erases only with the box ticked."""

    confirm = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick “I want my purchase history erased” to erase it. Nothing was erased."
            )
        }
    )


class MessagesForm(forms.Form):
    """Which messages the shopper receives: order updates always; offers too, by the
    channels ticked (recorded as a consent for purpose ``marketing``)."""

    offers = forms.TypedChoiceField(
        label=_("Messages I receive"),
        choices=[("no", _("Order updates only")), ("yes", _("Order updates and offers"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    channels = forms.MultipleChoiceField(
        label=_("Send offers by"),
        choices=MessageChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("offers") and not data.get("channels"):
            self.add_error("channels", _("Choose at least one way to receive offers."))
        return data
