"""Settings of ``bench.multinode``'s nodes: production's, plus the bare baseline view.

Everything else comes from the environment, exactly as a deployment sets it
(docs/deploy.md); the bench sets throttle rates no load reaches, since all its shoppers
share one address.
"""

from configurator.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
