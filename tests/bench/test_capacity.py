"""The capacity bench's shoppers: each comes from its own address, as on the internet."""

import re
from pathlib import Path

from bench.multinode import CLIENT_HEADER, ROOT, nginx_config, own_address


def test_each_locust_user_names_a_new_address():
    first, second = own_address(), own_address()

    assert list(first) == [CLIENT_HEADER] == ["X-Bench-Client"]
    assert first != second
    a, b = (int(header[CLIENT_HEADER].rsplit(".", 1)[1]) for header in (first, second))
    assert (b - a) % 256 == 1
    assert all(header[CLIENT_HEADER].startswith("10.") for header in (first, second))


def test_the_bench_nginx_takes_that_address_from_the_loopback_only(tmp_path: Path):
    config = nginx_config(tmp_path, 8443, [8001, 8002], tmp_path, (tmp_path / "c", tmp_path / "k"))

    server = re.search(r"\n    server \{\n(.*?)\n    \}", config, re.S)
    assert server is not None
    assert server.group(1).splitlines()[:2] == [
        "        set_real_ip_from 127.0.0.1;",
        "        real_ip_header X-Bench-Client;",
    ]
    # The deployed file trusts no such header: a client could name any address.
    assert "real_ip" not in (ROOT / "deploy" / "nginx.conf.template").read_text()
