"""The load generator's TLS context: nothing loaded per user that nothing uses."""

import certifi
import gevent.ssl
from geventhttpclient.connectionpool import init_ssl_context

from bench.tls import unchecked_tls


def test_unchecked_tls_loads_no_ca_file_even_when_geventhttpclient_passes_certifi():
    # What geventhttpclient does for each locust user's connection pool.
    context = init_ssl_context(unchecked_tls, certifi.where(), check_hostname=False)

    assert context.cert_store_stats() == {"crl": 0, "x509_ca": 0, "x509": 0}
    assert context.verify_mode == gevent.ssl.CERT_NONE
    assert context.check_hostname is False
