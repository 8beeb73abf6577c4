"""The shop's URLs plus ``/bench/bare/``: a bare Django JSON view, the baseline."""

import json

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from configurator.urls import urlpatterns as shop


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "keys": sorted(body)})


urlpatterns = [path("bench/bare/", bare), *shop]
