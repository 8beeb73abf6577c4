"""``python -m bench.consent_ab_bench``: what the consent check costs a page view.

The setup of ``bench.defaults_bench`` (a shopper with 1,000 past lines who agreed); then
``studio_defaults`` on the tote 1,100 times each with the real ``may_personalize`` and
with a stand-in that asks nothing, interleaved in one run so the shared machine's load
falls on both alike; the first 100 of each are warm-up. Prints both p50s and their ratio.
"""

import statistics
import time

from bench.scratch import django_setup


def main() -> None:
    django_setup("bench-consent-")
    from bench.defaults_bench import setup
    from configurator.personalization import defaults
    from configurator.personalization.consent import may_personalize

    user, engines = setup(7, 1000)
    engine = engines["TOTE-01"]
    timed: dict[bool, list[float]] = {True: [], False: []}
    for i in range(1200):
        for check in (True, False) if i % 2 else (False, True):
            defaults.may_personalize = may_personalize if check else (lambda c: c is not None)
            start = time.perf_counter()
            result = defaults.studio_defaults(
                engine=engine, product="TOTE-01", user=user, language="en"
            )
            elapsed = (time.perf_counter() - start) * 1000
            assert result.basis == "personal"
            if i >= 100:
                timed[check].append(elapsed)
    with_check, without = statistics.median(timed[True]), statistics.median(timed[False])
    print(
        f"studio_defaults p50 with the consent check {with_check:.2f} ms, "
        f"without {without:.2f} ms: ratio {with_check / without:.2f}"
    )


if __name__ == "__main__":
    main()
