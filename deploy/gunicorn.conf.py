"""gunicorn for a web node: ``gunicorn -c deploy/gunicorn.conf.py configurator.wsgi``.

Sync workers: each request is short (evaluate a few ms, a preview render tens of ms) and
CPU-bound; one worker per core plus one. Workers are recycled after a few thousand
requests (with jitter) so memory stays bounded, and preloading the application shares its
code between them.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # gthread: threads per worker
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
# Requests reach the workers evenly, so with a small jitter every worker of every node
# restarts within seconds and the shop stalls while they start (docs/benchmarks.md, "The
# baseline's seconds"): each worker restarts after between max_requests and 1.5 times it.
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2))
preload_app = True
accesslog = None  # nginx and the request-id'd application log say enough
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def when_ready(server):
    """The master has loaded the application: build once what every worker shares
    (``configurator/warmup.py``; ``GUNICORN_WARM_UP=0`` leaves it to each worker)."""
    if os.environ.get("GUNICORN_WARM_UP", "1") == "0":
        return
    from configurator.warmup import warm

    warm()
