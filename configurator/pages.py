"""What the HTML pages do with a refusal: the one place a domain error meets a form.

The API turns an :class:`~configurator.errors.ApplicationError` into a status and a JSON
body (``configurator/api/errors.py``); a page shows its detail beside the field it names,
or above the form when the form has no such field.
"""

from __future__ import annotations

from django import forms

from configurator.errors import ApplicationError


def form_refusal(form: forms.Form, error: ApplicationError) -> None:
    field = (error.field or "").split(".", 1)[0]
    form.add_error(field if field in form.fields else None, error.detail)
