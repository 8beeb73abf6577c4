"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from configurator.telemetry import telemetry_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "configurator.settings.production")
telemetry_start("configurator-web")  # only when OTEL_* variables ask for it

application = get_asgi_application()
