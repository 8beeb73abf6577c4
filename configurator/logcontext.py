"""What a log line is about: the request id of a web request, the task id of a Celery task.

:class:`RequestIdMiddleware` (first in ``MIDDLEWARE``) gives every request an id, keeps it
in a context variable while the request is served and answers it in ``X-Request-ID``. An
incoming ``X-Request-ID`` is kept only when trusted proxies stand in front
(:func:`configurator.clients.behind_trusted_proxy`) and it is well formed; otherwise anyone
could write what they like into our logs. Celery's ``task_prerun`` and ``task_postrun``
signals (connected in :mod:`configurator.celery`) do the same with the task id.
:class:`ContextFilter`, on the log handlers of ``LOGGING``, copies both onto every record:
``request_id``, ``task_id`` and ``context`` (both in one short field for readable logs).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.log import log_response

from configurator.clients import behind_trusted_proxy

HEADER = "X-Request-ID"
# Ids that proxies make (nginx's $request_id, UUIDs, AWS and GCP trace ids) fit; spaces,
# quotes and line breaks never reach a log line.
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:=+/-]{8,128}$")
EMPTY = "-"

current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
current_task_id: ContextVar[str | None] = ContextVar("task_id", default=None)
_task_tokens: dict[str, Token[str | None]] = {}


def request_id_for(incoming: str | None, *, trusted: bool) -> str:
    """The id of a request: the proxy's when trusted and well formed, else a new one."""
    if trusted and incoming and WELL_FORMED.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request its id, for its log lines and in its response's ``X-Request-ID``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = request_id_for(request.headers.get(HEADER), trusted=behind_trusted_proxy())
        token = current_request_id.set(rid)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs a 4xx or 5xx answer once the middleware is done, when the id is
                # gone; logged here (as Django does it), it keeps the id and is not repeated.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=cast(HttpResponse, response),  # any response will do
                    request=request,
                )
        finally:
            current_request_id.reset(token)
        response[HEADER] = rid
        return response


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``context`` to every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid, tid = current_request_id.get(), current_task_id.get()
        record.request_id = rid or EMPTY
        record.task_id = tid or EMPTY
        parts = [f"request={rid}" if rid else "", f"task={tid}" if tid else ""]
        record.context = " ".join(part for part in parts if part) or EMPTY
        return True


def task_started(task_id: str | None = None, **kwargs: Any) -> None:
    """``task_prerun``: the task's log lines carry its id until it ends."""
    if task_id:
        _task_tokens[task_id] = current_task_id.set(task_id)


def task_ended(task_id: str | None = None, **kwargs: Any) -> None:
    """``task_postrun``: back to the context the task ran in (a request, another task)."""
    token = _task_tokens.pop(task_id, None) if task_id else None
    if token is not None:
        current_task_id.reset(token)
