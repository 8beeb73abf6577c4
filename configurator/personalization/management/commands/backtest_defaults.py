"""``python manage.py backtest_defaults EVENTS.csv[.gz] --cutoff DATE [--tune-cutoff DATE]``"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from configurator.personalization.backtest import (
    CART_PROTOCOLS,
    GRID,
    SIGNIFICANCE,
    Result,
    backtest,
    tune,
    tune_per_group,
)
from configurator.personalization.events import BadFile, EventLine, open_events, read_events
from configurator.personalization.scoring import PARAMS, Params


class Command(BaseCommand):
    help = (
        "How often the pre-selected default would have been the shopper's choice: the "
        "protocol of docs/purchase-events-format.md, on the studio's own model, with the "
        "cart as the studio would have known it. Needs no catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("events")
        parser.add_argument("--cutoff", required=True, help="the reported cutoff; UTC if bare")
        parser.add_argument(
            "--tune-cutoff",
            help="a cutoff before --cutoff, on events before --cutoff only: where the "
            "weights are chosen (with --tune) and checked",
        )
        parser.add_argument(
            "--tune",
            action="store_true",
            help="search the grid at --tune-cutoff and report --cutoff with its best setting",
        )
        parser.add_argument(
            "--per-group",
            action="store_true",
            help="with --tune: then choose each option group's own setting of the grid at "
            "--tune-cutoff (kept only when it beats the group's model without the cart by "
            f"more than chance, one-sided sign test p < {SIGNIFICANCE})",
        )
        parser.add_argument(
            "--shared",
            action="store_true",
            help="report the shared weights alone (ignore the shipped per-group weights)",
        )
        parser.add_argument("--cart", choices=CART_PROTOCOLS, default="prefix")
        parser.add_argument("--predictions", help="write the reported cutoff's predictions")

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = _when(options["cutoff"], "--cutoff")
        assert cutoff is not None  # a required option
        tune_cutoff = _when(options["tune_cutoff"], "--tune-cutoff")
        if options["tune"] and tune_cutoff is None:
            raise CommandError("--tune needs --tune-cutoff")
        if options["per_group"] and not options["tune"]:
            raise CommandError("--per-group needs --tune")
        if tune_cutoff is not None and tune_cutoff >= cutoff:
            raise CommandError("--tune-cutoff must come before --cutoff")
        try:
            with open_events(options["events"]) as handle:
                purchases = [e.purchase for e in read_events(handle) if isinstance(e, EventLine)]
        except (BadFile, OSError) as exc:
            raise CommandError(str(exc)) from exc
        cart = options["cart"]
        params = replace(PARAMS, groups={}) if options["shared"] or options["tune"] else PARAMS
        self.stdout.write(f"Cart protocol: {cart}")
        if tune_cutoff is not None:
            before = [p for p in purchases if p.timestamp < cutoff]
            if options["tune"]:
                params = self._tune(before, tune_cutoff, cart, params)
            if options["per_group"]:
                params = self._tune_per_group(before, tune_cutoff, cart, params)
            self.stdout.write(f"Weights: {_weights(params)}")
            self._table(
                f"Tuning cutoff {tune_cutoff:%Y-%m-%d} (events before {cutoff:%Y-%m-%d})",
                backtest(before, tune_cutoff, params=params, cart=cart),
            )
        else:
            self.stdout.write(f"Weights: {_weights(params)}")
        with contextlib.ExitStack() as stack:
            out = None
            if options["predictions"]:
                out = stack.enter_context(
                    open(options["predictions"], "w", encoding="utf-8", newline="")
                )
            result = backtest(purchases, cutoff, predictions=out, params=params, cart=cart)
        self._table(f"Reported cutoff {cutoff:%Y-%m-%d}", result)

    def _tune(self, purchases: list, cutoff: datetime, cart: str, params: Params) -> Params:
        trials = tune(purchases, cutoff, params, cart)
        if not trials:
            raise CommandError("no test rows at --tune-cutoff")
        self.stdout.write(f"Grid at {cutoff:%Y-%m-%d}: {len(trials)} settings of {list(GRID)}")
        self.stdout.write("Best first; * marks a setting with a group worse than without the cart:")
        for trial in trials[:5]:
            groups = " ".join(f"{g} {r:.1%}" for g, r in trial.per_group.items())
            mark = " " if trial.no_worse else "*"
            self.stdout.write(
                f" {mark}{trial.rate:.2%}  {_weights(trial.params, GRID)}  ({groups})"
            )
        return trials[0].params

    def _tune_per_group(
        self, purchases: list, cutoff: datetime, cart: str, params: Params
    ) -> Params:
        tuned, choices = tune_per_group(purchases, cutoff, params, cart)
        self.stdout.write(
            f"Per group at {cutoff:%Y-%m-%d}: each group's best setting, kept when it beats "
            f"the model without the cart by more than chance (sign test p < {SIGNIFICANCE}):"
        )
        for c in choices:
            verdict = "kept" if c.weights == c.best else "switched off"
            self.stdout.write(
                f"  {c.group}: best {_weights(params.with_weights(c.best), GRID)}"
                f" {c.best_rate:.1%} vs {c.without:.1%} without the cart"
                f" (+{c.gained}/-{c.lost} of {c.rows} rows, p={c.p_value:.3g}): {verdict}"
            )
        return tuned

    def _table(self, title: str, result: Result) -> None:
        self.stdout.write(f"\n{title}: {result.rows} scored rows")
        self.stdout.write(
            f"{'group':<10} {'model':>7} {'no cart':>8} {'popularity':>11} {'last value':>11}"
            f" {'rows':>7}"
        )
        for group in sorted(result.per_group):
            n = result.per_group[group]
            self.stdout.write(
                f"{group:<10} {result.per_group_hits[group] / n:7.1%} "
                f"{result.per_group_history[group] / n:8.1%} "
                f"{result.per_group_popularity[group] / n:11.1%} "
                f"{result.per_group_last[group] / n:11.1%} {n:7d}"
            )
        self.stdout.write(
            f"{'overall':<10} {result.rate(result.hits):7.1%} "
            f"{result.rate(result.history_hits):8.1%} "
            f"{result.rate(result.popularity_hits):11.1%} {result.rate(result.last_hits):11.1%}"
            f" {result.rows:7d}"
        )


def _weights(params: Params, names: Iterable[str] | None = None) -> str:
    if names is None:
        names = [f.name for f in fields(params) if f.name != "groups"]
    text = " ".join(f"{name}={getattr(params, name):g}" for name in names)
    for group, weights in sorted(params.groups.items()):
        text += f"; {group}: " + " ".join(f"{k}={w:g}" for k, w in weights.items())
    return text


def _when(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CommandError(f"{option}: {exc}") from exc
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
