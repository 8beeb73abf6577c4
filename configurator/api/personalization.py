"""API v1: the signed-in shopper's purchase history and preferences: see, switch, export, erase."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from configurator.personalization.consent import may_personalize
from configurator.personalization.models import ConsentChannel
from configurator.personalization.responses import history_download
from configurator.personalization.selectors import customer_export
from configurator.personalization.services import (
    customer_erase,
    customer_for_account,
    customer_for_user,
    customer_personalization_set,
)

from . import contract
from .contract import ANY, BODY, UNSAFE, answers
from .rendering import ORJSONParser


class SettingSerializer(serializers.Serializer):
    personalized_defaults = serializers.BooleanField()


class MyPersonalizationView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [ORJSONParser]

    @extend_schema(
        summary="My purchase history and preferences",
        responses=answers({200: contract.PersonalizationSerializer}, *ANY),
    )
    def get(self, request: Request) -> Response:
        return Response(customer_export(customer=customer_for_account(user=request.user)))

    @extend_schema(
        summary="Switch personalized defaults on or off",
        request=SettingSerializer,
        responses=answers({200: contract.PersonalizationSettingSerializer}, *BODY),
    )
    def patch(self, request: Request) -> Response:
        serializer = SettingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = customer_personalization_set(
            customer=customer_for_account(user=request.user),
            enabled=serializer.validated_data["personalized_defaults"],
            channel=ConsentChannel.API,
        )
        return Response({"personalized_defaults": may_personalize(customer)})

    @extend_schema(
        summary="Erase my purchase history and preferences", responses=answers({204: None}, *UNSAFE)
    )
    def delete(self, request: Request) -> Response:
        customer = customer_for_user(request.user)
        if customer is not None:
            customer_erase(customer=customer)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyPersonalizationExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Download my purchase history and preferences (JSON)",
        description="The same document as GET me/personalization/, as an attachment "
        "(my-purchase-history.json).",
        responses=answers({200: contract.PersonalizationSerializer}, *ANY),
    )
    def get(self, request: Request) -> HttpResponse:
        return history_download(user=request.user)
