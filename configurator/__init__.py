"""Product customization configurator: project package and shopper-facing stages."""

from .celery import app as celery_app

__all__ = ("celery_app",)
