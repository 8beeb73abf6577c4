"""The cart and saved designs as context of the defaults: each signal, its reason, and the
backtest's cart protocol. Pure Python: no database."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from configurator.personalization.backtest import backtest, tune, tune_per_group
from configurator.personalization.scoring import (
    PARAMS,
    Context,
    ContextLine,
    History,
    Purchase,
    Reason,
)

T = datetime(2026, 1, 1, tzinfo=UTC)
NOW = T + timedelta(days=30)


def buy(customer, days, order, product, **options):
    return Purchase(customer, T + timedelta(days=days), order, product, options)


def in_cart(product, saved=False, **options):
    return ContextLine(product, options, saved)


# Lunch bags: polkadot is the product's most popular design, red its most popular colour;
# red comes with Retrospot, blue with Polkadot.
BAGS = [
    *[buy(f"p{i}", 20, f"p{i}", "BAG", design="polkadot", color="blue") for i in range(4)],
    *[buy(f"r{i}", 20, f"r{i}", "BAG", design="retrospot", color="red") for i in range(3)],
    *[buy(f"s{i}", 20, f"s{i}", "BAG", design="spots", color="red") for i in range(3)],
]
THREE_RETROSPOT = Context(
    (
        in_cart("MUG", design="retrospot"),
        in_cart("CUP", design="retrospot"),
        in_cart("PLATE", design="retrospot"),
    )
)


def test_three_retrospot_items_in_the_cart_preselect_retrospot_and_say_so():
    history = History().extend(BAGS)
    assert history.predict("lan", "BAG", "design", NOW).value == "polkadot"

    prediction = history.predict("lan", "BAG", "design", NOW, context=THREE_RETROSPOT)

    assert prediction.value == "retrospot"
    assert prediction.reason == Reason("cart", "retrospot", share=1.0, where="cart")


def test_the_cart_reason_says_where_the_matching_items_are():
    history = History().extend(BAGS)
    saved = Context(
        tuple(in_cart(x.product, saved=True, **x.options) for x in THREE_RETROSPOT.lines)
    )
    mixed = Context((*THREE_RETROSPOT.lines[:2], *saved.lines[2:]))

    assert history.predict(None, "BAG", "design", NOW, context=saved).reason.where == "saved"
    assert history.predict(None, "BAG", "design", NOW, context=mixed).reason.where == "both"


def test_colour_follows_the_design_in_the_cart_chosen_together_on_this_product():
    # Blue is the product's most popular colour alone; but its Retrospot buyers chose red.
    history = History().extend(
        [
            *BAGS,
            *[buy(f"b{i}", 20, f"b{i}", "BAG", design="polkadot", color="blue") for i in range(3)],
        ]
    )
    assert history.predict(None, "BAG", "color", NOW).value == "blue"

    prediction = history.predict(None, "BAG", "color", NOW, context=THREE_RETROSPOT)

    assert prediction.value == "red"
    assert prediction.reason == Reason(
        "together", "red", other="retrospot", other_group="design", where="cart"
    )
    # Together: Retrospot's buyers on this product chose red every time.
    assert history.components(None, "BAG", "color", ["blue", "red"], NOW, THREE_RETROSPOT)[
        "together"
    ] == {"blue": 0.0, "red": 1.0}


def test_a_product_already_in_the_cart_opens_on_another_variant():
    history = History().extend(BAGS)
    assert history.predict(None, "BAG", "color", NOW).value == "red"
    cart = Context((in_cart("BAG", design="spots", color="red"),))

    prediction = history.predict(None, "BAG", "color", NOW, context=cart)

    assert prediction.value == "blue"
    assert prediction.reason == Reason("cart-variant", "blue", other="red", where="cart")


def test_a_saved_design_of_the_product_is_no_variant_already_bought():
    history = History().extend(BAGS)
    saved = Context((in_cart("BAG", saved=True, design="spots", color="red"),))

    prediction = history.predict(None, "BAG", "color", NOW, context=saved)

    # Not "already in your cart": red stays, for the history's reason (the context
    # changed nothing, so it is not named).
    assert prediction.value == "red"
    assert prediction.reason == Reason("popular", "red", share=0.6)


def test_the_shoppers_own_reason_stays_when_the_cart_changes_nothing():
    history = History().extend(
        [
            *BAGS,
            buy("lan", 10, "o1", "BAG", design="retrospot"),
            buy("lan", 12, "o2", "BAG", design="retrospot"),
        ]
    )

    prediction = history.predict("lan", "BAG", "design", NOW, context=THREE_RETROSPOT)

    assert prediction.value == "retrospot"
    assert prediction.reason == Reason("same-product", "retrospot", chosen=2, orders=2)


def test_without_a_context_the_scores_are_the_historys_alone():
    history = History().extend(BAGS)
    plain = history.scores("lan", "BAG", "design", ["polkadot", "retrospot", "spots"], NOW)
    with_cart = history.scores(
        "lan", "BAG", "design", ["polkadot", "retrospot", "spots"], NOW, THREE_RETROSPOT
    )
    assert with_cart["retrospot"] - plain["retrospot"] == PARAMS.weight("cart", "design") * 1.0
    assert with_cart["polkadot"] == plain["polkadot"]


# The backtest's cart: order "o" has two lines whose designs match each other and not the
# product's popularity; a line is right only when it can see the other one.
CUTOFF = T + timedelta(days=25)
PAIRED = [
    *BAGS,
    *[buy(f"m{i}", 20, f"m{i}", "MUG", design="polkadot") for i in range(3)],
    *[buy(f"n{i}", 20, f"n{i}", "MUG", design="retrospot") for i in range(2)],
    buy("lan", 26, "o", "BAG", design="retrospot"),
    buy("lan", 26, "o", "MUG", design="retrospot"),
]


def test_the_backtest_cart_holds_only_lines_entered_before():
    prefix = backtest(PAIRED, CUTOFF, cart="prefix")
    everything = backtest(PAIRED, CUTOFF, cart="leave-one-out")
    none = backtest(PAIRED, CUTOFF, cart="none")

    # Two rows; without a cart both miss; the line entered second sees the first (one hit);
    # leave-one-out lets the first see the second too (two hits, an optimistic protocol).
    assert (none.rows, none.hits) == (2, 0)
    assert (prefix.rows, prefix.hits, prefix.history_hits) == (2, 1, 0)
    assert (everything.rows, everything.hits) == (2, 2)


def test_the_backtest_never_shows_a_line_its_own_values():
    alone = [*BAGS, buy("lan", 26, "o", "BAG", design="retrospot")]
    # A weight that would make a line seeing itself a sure hit.
    params = replace(PARAMS, cart_same=1.0, groups={})
    assert backtest(alone, CUTOFF, params=params, cart="prefix").hits == 0
    assert backtest(alone, CUTOFF, params=params, cart="leave-one-out").hits == 0


def test_tuning_scores_the_same_predictions_as_the_backtest():
    trials = tune(PAIRED, CUTOFF, cart="prefix")
    for trial in trials:
        result = backtest(PAIRED, CUTOFF, params=trial.params, cart="prefix")
        assert trial.rate == result.hits / result.rows
    # First the settings with no group worse than without the cart.
    assert [t.no_worse for t in trials] == sorted((t.no_worse for t in trials), reverse=True)


EVENTS_CSV = """customer,timestamp,order,channel,product,option:design
p1,2026-01-05T10:00:00Z,1,web,BAG,polkadot
p2,2026-01-05T10:00:00Z,2,web,BAG,polkadot
r1,2026-01-05T10:00:00Z,3,web,BAG,retrospot
m1,2026-01-05T10:00:00Z,4,web,MUG,polkadot
m2,2026-01-05T10:00:00Z,5,web,MUG,retrospot
lan,2026-01-20T10:00:00Z,6,web,BAG,retrospot
lan,2026-01-20T10:00:00Z,6,web,MUG,retrospot
p3,2026-02-05T10:00:00Z,7,web,BAG,polkadot
lan,2026-02-20T10:00:00Z,8,web,BAG,retrospot
lan,2026-02-20T10:00:00Z,8,web,MUG,retrospot
"""


def test_the_command_tunes_on_one_cutoff_and_reports_another_with_baselines(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV, encoding="utf-8")
    out = io.StringIO()

    call_command(
        "backtest_defaults",
        str(path),
        "--cutoff=2026-02-15",
        "--tune-cutoff=2026-01-15",
        "--tune",
        stdout=out,
    )

    text = out.getvalue()
    assert "Grid at 2026-01-15: 240 settings of ['cart', 'cart_same', 'together', 'last']" in text
    # The first setting with the best rate at the tuning cutoff is the one reported.
    assert "cart=0.25 cart_same=0 together=0 last=0\n" in text
    tuning = text[text.index("Tuning cutoff 2026-01-15 (events before 2026-02-15): 3 scored") :]
    assert tuning.splitlines()[1:4] == [
        "group        model  no cart  popularity  last value    rows",
        "design       66.7%    33.3%       33.3%       33.3%       3",
        "overall      66.7%    33.3%       33.3%       33.3%       3",
    ]
    reported = tuning[tuning.index("Reported cutoff 2026-02-15: 2 scored rows") :]
    assert reported.splitlines()[3] == "overall     100.0%   100.0%       50.0%      100.0%       2"


def test_the_command_refuses_a_tuning_cutoff_after_the_reported_one(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="--tune-cutoff must come before --cutoff"):
        call_command(
            "backtest_defaults", str(path), "--cutoff=2026-01-15", "--tune-cutoff=2026-02-15"
        )
    with pytest.raises(CommandError, match="--tune needs --tune-cutoff"):
        call_command("backtest_defaults", str(path), "--cutoff=2026-01-15", "--tune")


def test_a_groups_own_setting_is_kept_only_when_it_beats_chance():
    # One row of two gained, none lost: p = 0.5, no better than a coin.
    tuned, [choice] = tune_per_group(PAIRED, CUTOFF, cart="prefix")
    assert (choice.group, choice.rows, choice.gained, choice.lost) == ("design", 2, 1, 0)
    assert choice.p_value == 0.5
    assert choice.weights == {"cart": 0.0, "cart_same": 0.0, "together": 0.0, "last": 0.0}
    assert choice.best == {"cart": 0.25, "cart_same": 0.0, "together": 0.0, "last": 0.0}
    assert (choice.rate, choice.best_rate, choice.without) == (0.0, 0.5, 0.0)
    assert backtest(PAIRED, CUTOFF, params=tuned, cart="prefix").hits == 0

    kept, [choice] = tune_per_group(PAIRED, CUTOFF, cart="prefix", significance=0.6)
    assert choice.weights == choice.best
    assert kept.groups == {"design": choice.best}
    assert backtest(PAIRED, CUTOFF, params=kept, cart="prefix").hits == 1


def test_the_baseline_without_the_cart_is_the_model_before_it_whatever_a_groups_weights():
    # Lan chose Polkadot twice, then Spots last; she buys Spots. A design weight on her last
    # value makes the model right; the baseline stays the model before (Polkadot).
    events = [
        *BAGS,
        buy("lan", 5, "a", "BAG", design="polkadot"),
        buy("lan", 6, "b", "BAG", design="polkadot"),
        buy("lan", 10, "c", "BAG", design="spots"),
        buy("lan", 26, "o", "BAG", design="spots"),
    ]
    own = replace(PARAMS, groups={"design": {"last": 5.0}})
    result = backtest(events, CUTOFF, params=own, cart="prefix")
    assert (result.rows, result.hits, result.history_hits) == (1, 1, 0)


def test_the_command_chooses_each_groups_weights_at_the_tuning_cutoff_only(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV, encoding="utf-8")
    out = io.StringIO()

    call_command(
        "backtest_defaults",
        str(path),
        "--cutoff=2026-02-15",
        "--tune-cutoff=2026-01-15",
        "--tune",
        "--per-group",
        stdout=out,
    )

    text = out.getvalue()
    # Three rows at the tuning cutoff: one gained, none lost is no better than chance.
    assert (
        "  design: best cart=0.25 cart_same=0 together=0 last=0 66.7% vs 33.3% without the "
        "cart (+1/-0 of 3 rows, p=0.5): switched off\n"
    ) in text
    assert "; design: cart=0 cart_same=0 together=0 last=0\n" in text
    tuning = text[text.index("Tuning cutoff 2026-01-15") :]
    assert tuning.splitlines()[2] == "design       33.3%    33.3%       33.3%       33.3%       3"
    with pytest.raises(CommandError, match="--per-group needs --tune"):
        call_command(
            "backtest_defaults", str(path), "--cutoff=2026-02-15", "--per-group", stdout=out
        )


def test_the_command_reports_the_shipped_per_group_weights_unless_told_shared(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV, encoding="utf-8")
    shipped, shared = io.StringIO(), io.StringIO()

    call_command("backtest_defaults", str(path), "--cutoff=2026-02-15", stdout=shipped)
    call_command("backtest_defaults", str(path), "--cutoff=2026-02-15", "--shared", stdout=shared)

    assert "; design: cart=1 cart_same=-1 together=0 last=0;" in shipped.getvalue()
    assert (
        "Weights: tau_trend_days=30 tau_personal_days=180 same=0.5 cross=0.2 popularity=0 "
        "trend=1 cart=0.5 cart_same=-0.5 together=0.25 last=0\n"
    ) in shared.getvalue()
