"""The deployed nginx and gunicorn configurations agree with each other."""

import re
import runpy
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_nginx_drops_an_idle_node_connection_before_gunicorn_closes_it():
    # gthread workers keep a connection open ``keepalive`` seconds; nginx must stop reusing
    # it first, or a POST sent as gunicorn closes it fails with 502 (never resent).
    template = (DEPLOY / "nginx.conf.template").read_text()
    upstream = re.search(r"upstream web \{(.*?)\n    \}", template, re.S)
    assert upstream is not None
    nginx_idle = re.findall(r"^\s*keepalive_timeout (\d+)s;", upstream.group(1), re.M)
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert gunicorn["keepalive"] == 5
    assert nginx_idle == ["4"]


def test_gunicorn_spreads_worker_recycling_over_half_of_max_requests():
    # Workers share requests evenly; with a small jitter they all reach max_requests within
    # seconds and every node stalls at once while its new workers start.
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert (gunicorn["max_requests"], gunicorn["max_requests_jitter"]) == (5000, 2500)
