"""The load generator's TLS context (``bench/locustfile.py``), kept apart from locust so
it can be imported without locust patching the process for gevent."""

import gevent.ssl


def unchecked_tls(cafile: str | None = None) -> gevent.ssl.SSLContext:
    """A client TLS context that checks no certificate and loads no CA file.

    geventhttpclient passes certifi's bundle as ``cafile`` for every locust user's
    connection pool, even an insecure one; loading it costs 20-35 ms of the load
    generator's one event loop per user (docs/benchmarks.md), and nothing would use it.
    """
    context = gevent.ssl.SSLContext(gevent.ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = gevent.ssl.CERT_NONE
    return context
