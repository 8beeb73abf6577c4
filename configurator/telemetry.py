"""OpenTelemetry tracing, switched on by the standard ``OTEL_*`` variables.

Nothing is traced unless one of ``OTEL_TRACES_EXPORTER``, ``OTEL_EXPORTER_OTLP_ENDPOINT`` or
``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` is set (and ``OTEL_SDK_DISABLED`` is not ``true``):
then the web process (``wsgi.py``, ``asgi.py``) and each Celery worker process trace
requests (Django), queries (psycopg), calls to partners (requests) and tasks (Celery, with
the trace carried from the request that enqueued them). The SDK reads the rest of the
standard variables itself: ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``,
``OTEL_TRACES_SAMPLER`` and its argument, ``OTEL_EXPORTER_OTLP_*`` (endpoint, headers,
timeout). Exporters: ``otlp`` (HTTP/protobuf, the default), ``console``, ``none``.

The way Saleor does it: the packages are ordinary dependencies, the switch is the
environment, and an unset environment costs nothing (no provider, no instrumentation).
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger(__name__)

__all__ = ["telemetry_enabled", "telemetry_start"]

_SWITCHES = (
    "OTEL_TRACES_EXPORTER",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
)
_started = False


def telemetry_enabled() -> bool:
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporters == "none":
        return False
    return any(os.environ.get(name, "").strip() for name in _SWITCHES)


def telemetry_start(service: str) -> bool:
    """Trace this process if the environment asks for it; returns whether it does.

    Call it before Django builds its request handler (its middleware is added then) and,
    in a Celery worker, in each worker process (``worker_process_init``).
    """
    global _started
    if _started or not telemetry_enabled():
        return _started
    from opentelemetry import trace
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: service}
    provider = TracerProvider(resource=Resource.create(attributes))
    for name in os.environ.get("OTEL_TRACES_EXPORTER", "otlp").lower().split(","):
        name = name.strip()
        if name == "otlp":
            protocol = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            if protocol != "http/protobuf":
                logger.warning("OTLP protocol %r is not installed; sending http/protobuf", protocol)
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        elif name == "console":
            provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
        elif name and name != "none":
            logger.warning("unknown OTEL_TRACES_EXPORTER %r: ignored", name)
    trace.set_tracer_provider(provider)

    # After the health probes: they are answered before host checks (a probe asks by the
    # pod's address), and the tracing middleware reads the host, refusing such a request.
    from django.conf import settings
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor

    middleware = list(settings.MIDDLEWARE)
    probes = "configurator.health.HealthMiddleware"
    position = middleware.index(probes) + 1 if probes in middleware else 0
    DjangoInstrumentor().instrument(middleware_position=position)
    PsycopgInstrumentor().instrument()
    RequestsInstrumentor().instrument()
    CeleryInstrumentor().instrument()
    _started = True
    logger.info("tracing on: %s", provider.resource.attributes.get(SERVICE_NAME))
    return True
