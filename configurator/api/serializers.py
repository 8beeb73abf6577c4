"""Request shapes of the API (responses are built in :mod:`.payloads`)."""

from __future__ import annotations

from rest_framework import serializers


class EvaluateRequestSerializer(serializers.Serializer):
    selection = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        default=dict,
        help_text="Group code to value code (choice), list of codes (multi), text, or an "
        "upload id (image); in the order the shopper chose.",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Defaults to the latest published version."
    )
    explain = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
        default=list,
        help_text="[group, value] pairs to explain beyond the values each step shows.",
    )
    complete = serializers.BooleanField(
        default=False, help_text="Also return the best valid completion of the selection."
    )
