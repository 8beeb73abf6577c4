from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


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
