"""``python manage.py demo [ADDR:PORT] [--noserve]``: a working demo shop in one command.

It prepares the shop with the settings it was started with, then becomes the server (the
same process, so stopping it stops the shop) under ``configurator.settings.demo``: DEBUG
off, static files and public media served, ALLOWED_HOSTS set to the address it serves.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.commands.runserver import naiveip_re
from django.db import transaction

from catalog.demo.art import draw_all, font_name
from catalog.demo.loader import documents
from catalog.models import OptionSetVersion, VersionStatus
from catalog.selectors import option_set_document
from catalog.services import option_set_import

USERNAME = "demo"
PASSWORD = "demo-shop"
SETTINGS = "configurator.settings.demo"


DEFAULT_ADDRPORT = "127.0.0.1:8000"
# Kept at WARNING on the demo's console, while it prepares and while it serves
# (configurator.settings.demo): task results and start-up banners are not news there.
QUIET_LOGGERS = ("celery", "kombu", "amqp", "axes", "configurator.compilation")
# An address that listens everywhere is reached, from this machine, at the loopback one.
REACHABLE = {"0.0.0.0": "127.0.0.1", "0": "127.0.0.1", "[::]": "[::1]"}


def served_address(addrport: str) -> tuple[str, str]:
    """The host and port runserver listens on for ``addrport`` (``PORT`` or ``ADDR:PORT``).

    Parsed the way runserver parses it, so what the demo says is where the shop is.
    """
    match = naiveip_re.match(addrport)
    if match is None:
        raise CommandError(f'"{addrport}" is not a valid port number or address:port pair.')
    return match["addr"] or "127.0.0.1", match["port"]


def shop_url(addrport: str) -> str:
    """The shop's address for a browser on this machine."""
    host, port = served_address(addrport)
    return f"http://{REACHABLE.get(host, host)}:{port}/"


def demo_server(addrport: str, environ: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the demo server for ``addrport``.

    Settings are read once per process, so DEBUG off needs a process of its own: runserver
    under the demo settings, without the reloader, allowed the host it listens on (and
    localhost) unless ``DJANGO_ALLOWED_HOSTS`` says otherwise.
    """
    host, _ = served_address(addrport)
    hosts = dict.fromkeys([host, "127.0.0.1", "localhost"])
    env = {**environ, "DJANGO_SETTINGS_MODULE": SETTINGS}
    env.setdefault("DJANGO_ALLOWED_HOSTS", ",".join(hosts))
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    return [sys.executable, manage, "runserver", addrport, "--noreload"], env


class Command(BaseCommand):
    help = "Prepare (migrate, demo products with preview art, a staff login) and serve the shop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT)
        parser.add_argument("--noserve", action="store_true", help="Prepare only.")

    def handle(self, *args: Any, **options: Any) -> None:
        url = shop_url(options["addrport"])  # a wrong address fails before any work
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        files = draw_all()
        font, bold = font_name(), font_name(bold=True)
        for document in documents(files, font, bold=bold):
            self._publish(document)
        self._staff(url)
        if options["noserve"]:
            return
        argv, env = demo_server(options["addrport"], os.environ)
        self.stdout.flush()
        sys.stderr.flush()
        os.execve(argv[0], argv, env)  # this process becomes the server

    def _publish(self, document: dict[str, Any]) -> None:
        sku = document["product"]["sku"]
        latest = (
            OptionSetVersion.objects.filter(product__sku=sku, status=VersionStatus.PUBLISHED)
            .order_by("-number")
            .first()
        )
        if latest is not None and option_set_document(version=latest) == document:
            self.stdout.write(f"{sku}: version {latest.number} is up to date.")
            return
        with transaction.atomic():
            version = option_set_import(document=document, publish=True)
        report = getattr(version, "check_report", None)
        count = report.configurations_text if report else "?"
        self.stdout.write(
            f"{sku}: published version {version.number} ({count} valid configurations)."
        )

    def _staff(self, url: str) -> None:
        user, _ = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"email": "demo@example.vn"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(PASSWORD)
        user.save()
        merchants, _ = Group.objects.get_or_create(name="Merchants")
        merchants.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["catalog", "orders", "production"]
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Shop: {url}  ·  admin: {url}admin/  ·  login {USERNAME} / {PASSWORD}"
            )
        )
