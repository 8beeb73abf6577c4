"""Locust: real shoppers of the demo shop (``bench.capacity`` runs it; ``locust -f`` too).

A shopper browses the storefront, opens a studio, types a monogram key by key (10 to 30
evaluate calls, one per key), looks at the preview now and then, adds the design to the
cart, and one in ten checks out; 1 to 3 s of thinking between actions, as people do.
``BareUser`` is the baseline: the same pauses, a bare Django JSON view on the same nodes.

Both are ``FastHttpUser``s (geventhttpclient): on one machine the load generator shares the
cores with the shop, and locust's documentation measures this client at several times the
requests per core of its ``requests``-based one. Certificates are not checked: the stack's
nginx uses a certificate made for the run. Each user's TLS context loads no CA file
(``bench/tls.py``): loading certifi's bundle for every user stalled the load generator's
one loop while users were spawned, and every request it was timing (docs/benchmarks.md).
Each user is a shopper of its own address (``bench.multinode.own_address``), so each has
its own throttle history, as on the internet.
"""

from __future__ import annotations

import random
import secrets

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

from bench.multinode import SHIPPING, own_address
from bench.tls import unchecked_tls

# A product, its choices, its text group and that text's limit (characters).
PRODUCTS = {
    "SNEAKER-01": ({"material": "leather", "color": "navy", "design": "star"}, "monogram", 8),
    "MUG-01": ({"material": "ceramic", "color": "celadon", "design": "floral"}, "engraving", 18),
}
NAMES = ["Nguyễn Thị Ánh", "Trần Minh Đức", "Lê Hoàng Yến", "Phạm Quốc Bảo", "Võ Thị Thu Hằng"]


def cookie(user: FastHttpUser, name: str) -> str:
    return next((c.value or "" for c in user.client.cookiejar if c.name == name), "")


class Shopper(FastHttpUser):
    wait_time = between(1, 3)
    ssl_context_factory = staticmethod(unchecked_tls)

    def __init__(self, environment) -> None:
        self.default_headers = own_address()  # read by FastHttpUser's __init__
        super().__init__(environment)

    @task
    def design_one(self) -> None:
        self.client.get("/", name="storefront")
        self.wait()
        sku = random.choice(list(PRODUCTS))
        base, text_group, limit = PRODUCTS[sku]
        self.client.get(f"/studio/{sku}/", name="studio page")
        headers = {
            "Referer": f"{self.host}/studio/{sku}/",
            "X-CSRFToken": cookie(self, "csrftoken"),
        }
        text = random.choice(NAMES)
        keys = random.randint(10, 30)
        selection = dict(base)
        preview = None
        for i in range(keys):
            # Typed key by key; past the limit the shopper deletes and types again.
            selection[text_group] = text[: 1 + i % min(len(text), limit)]
            with self.client.post(
                f"/api/v1/products/{sku}/evaluate/",
                json={"selection": selection},
                headers=headers,
                name="evaluate",
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
                    return
                preview = response.json()["preview_url"]
            if i % 8 == 7 and preview:
                self.client.get(preview, name="preview", allow_redirects=True)
            self.wait()
        self.client.post(
            "/api/v1/cart/lines/",
            json={"product": sku, "selection": selection},
            headers=headers,
            name="add to cart",
        )
        if random.random() < 0.1:
            self.wait()
            self.client.post(
                "/api/v1/orders/",
                json={**SHIPPING, "idempotency_key": secrets.token_hex(8)},
                headers=headers,
                name="checkout",
            )


class BareUser(FastHttpUser):
    """The baseline: the shopper's pauses, a bare Django JSON view."""

    wait_time = between(1, 3)
    ssl_context_factory = staticmethod(unchecked_tls)

    @task
    def bare(self) -> None:
        self.client.post("/bench/bare/", json={"selection": {"monogram": "Ánh"}}, name="bare")
