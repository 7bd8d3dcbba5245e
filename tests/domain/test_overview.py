"""Overview figures against an independent count, and small-cell suppression that resists differencing."""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison_desktop.domain.overview import (
    BUCKETS,
    CATEGORIES,
    OTHER_PRACTICES,
    OUTCOMES,
    TOTAL,
    WAIT_BUCKETS,
    Granularity,
    Overview,
    Scope,
    ScopeKind,
    TrajectoryFact,
    compute_overview,
    display,
    export_rows,
    periods_between,
    pools_by_year,
    practices_to_pool,
    year_periods,
)

YEAR = 2026
Y0, Y1 = date(YEAR, 1, 1), date(YEAR, 12, 31)
TEAM = Scope(ScopeKind.TEAM, "team-1")
GRANS = tuple(Granularity)


# --- an independent computation, written out from the definitions ---------------------------


def in_scope(f: TrajectoryFact, s: Scope) -> bool:
    if s.kind is ScopeKind.PRACTICE:
        return f.practice_id == s.id
    if s.kind is ScopeKind.PROFESSIONAL and not s.is_root:
        return f.professional_id == s.id
    return True


def inside(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def bucket_of(days: int) -> str:
    for name, low, high in WAIT_BUCKETS:
        if low <= days and (high is None or days <= high):
            return name
    raise AssertionError(days)


def cell_value(weighted, family: str, s: Scope, start: date, end: date, key: str, as_of: date):
    """Sum of weights of the facts that fall in one cell (a signed count)."""
    total = 0
    for f, w in weighted:
        if not in_scope(f, s):
            continue
        if family == "referrals":
            if inside(f.referred_on, start, end) and key in (TOTAL, f.request_category):
                total += w
        elif family == "closed":
            if inside(f.closed_on, start, end) and key in (TOTAL, f.outcome):
                total += w
        elif family == "waiting":
            if inside(f.first_contact_on, start, end):
                wait = max(0, (f.first_contact_on - f.referred_on).days)
                if key in (TOTAL, bucket_of(wait)):
                    total += w
        elif family == "caseload":
            # open on the days referred_on .. closed_on - 1, counted up to as_of
            first = max(f.referred_on, start)
            last = min(end, as_of)
            if f.closed_on is not None:
                last = min(last, f.closed_on - timedelta(days=1))
            total += w * max(0, (last - first).days + 1)
    return total


KEYS = {
    "referrals": (TOTAL, *CATEGORIES),
    "closed": (TOTAL, *OUTCOMES),
    "waiting": (TOTAL, *BUCKETS),
    "caseload": (TOTAL,),
}


def shown_cells(ov: Overview):
    """(family, scope, period, key) -> shown value or None, for every row of ``ov``."""
    out = {}
    for r in ov.rows:
        base = (r.scope, r.period)
        out[("referrals", *base, TOTAL)] = r.referrals
        out.update({("referrals", *base, c): v for c, v in r.referrals_by_category.items()})
        out[("closed", *base, TOTAL)] = r.closed
        out.update({("closed", *base, o): v for o, v in r.closed_by_outcome.items()})
        out[("waiting", *base, TOTAL)] = r.waiting_count
        out.update({("waiting", *base, b): v for b, v in r.waiting_by_bucket.items()})
        out[("caseload", *base, TOTAL)] = r.open_caseload
    return out


def all_granularities(facts, root=TEAM, threshold=5, first=Y0, last=Y1):
    cells = {}
    for g in GRANS:
        ov = compute_overview(
            facts, first=first, last=last, granularity=g, root=root, threshold=threshold
        )
        cells.update(shown_cells(ov))
    return cells


# --- generated data ------------------------------------------------------------------------------


@st.composite
def fact_lists(draw, max_size: int = 120):
    n_practices = draw(st.integers(1, 3))
    n_professionals = draw(st.integers(1, 3))
    size = draw(st.integers(0, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    # Concentrate in a few months so that both shown and suppressed cells occur.
    months = rng.sample(range(1, 13), rng.randint(1, 4))
    facts = []
    for i in range(size):
        m = rng.choice(months)
        ref = date(YEAR, m, rng.randint(1, 28))
        first = ref + timedelta(days=rng.randint(0, 70)) if rng.random() < 0.8 else None
        closed = None
        outcome = None
        if rng.random() < 0.6:
            closed = ref + timedelta(days=rng.randint(0, 90))
            outcome = rng.choice(OUTCOMES)
            if first is not None and first > closed:
                first = closed
        facts.append(
            TrajectoryFact(
                trajectory_id=f"t{i}",
                professional_id=f"r{rng.randrange(n_professionals)}",
                practice_id=f"p{rng.randrange(n_practices)}",
                referred_on=ref,
                request_category=rng.choice(CATEGORIES[:3])
                if rng.random() < 0.8
                else rng.choice(CATEGORIES),
                first_contact_on=first,
                closed_on=closed,
                outcome=outcome,
                conversation_count=rng.randint(0, 6),
            )
        )
    return facts


# --- the calendar --------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2021, 2026, 2027, 2028])
def test_week_parts_add_up_to_months_and_months_to_the_year(year: int) -> None:
    periods = year_periods(year)
    by_key = {p.key: p for p in periods}
    for p in periods:
        kids = sorted((c for c in periods if c.parent == p.key), key=lambda c: c.start)
        if not kids:
            assert p.granularity is Granularity.WEEK
            assert p.start.weekday() == 0 or p.start.day == 1
            continue
        assert kids[0].start == p.start and kids[-1].end == p.end
        for a, b in zip(kids, kids[1:], strict=False):
            assert b.start == a.end + timedelta(days=1)
        assert by_key[p.key] is p
    assert (
        sum(p.days for p in periods if p.granularity is Granularity.WEEK)
        == (date(year, 12, 31) - date(year, 1, 1)).days + 1
    )


def test_periods_are_whole_and_a_reversed_range_is_refused() -> None:
    months = periods_between(date(2026, 2, 10), date(2026, 3, 5), Granularity.MONTH)
    assert [p.key for p in months] == ["2026-02", "2026-03"]
    assert months[0].start == date(2026, 2, 1) and months[-1].end == date(2026, 3, 31)
    with pytest.raises(ValueError):
        periods_between(date(2026, 3, 5), date(2026, 2, 10), Granularity.MONTH)
    with pytest.raises(ValueError):
        compute_overview([], first=Y0, last=Y1, root=TEAM, threshold=0)


# --- figures equal an independent computation ----------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_lists(max_size=150), st.sampled_from(GRANS), st.integers(1, 6))
def test_shown_counts_equal_an_independent_count(facts, granularity, threshold) -> None:
    ov = compute_overview(
        facts, first=Y0, last=Y1, granularity=granularity, root=TEAM, threshold=threshold
    )
    weighted = [(f, 1) for f in facts]
    for (family, s, p, key), value in shown_cells(ov).items():
        if value is None:
            continue
        expected = cell_value(weighted, family, s, p.start, p.end, key, ov.as_of)
        if family == "caseload":
            assert value == pytest.approx(expected / p.days)
        else:
            assert value == expected, (family, s, p.key, key)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_lists(max_size=150), st.sampled_from(GRANS))
def test_derived_figures_equal_an_independent_computation(facts, granularity) -> None:
    ov = compute_overview(facts, first=Y0, last=Y1, granularity=granularity, root=TEAM)
    for r in ov.rows:
        mine = [f for f in facts if in_scope(f, r.scope)]
        closed = [f for f in mine if inside(f.closed_on, r.period.start, r.period.end)]
        waited = sorted(
            (f.first_contact_on - f.referred_on).days
            for f in mine
            if inside(f.first_contact_on, r.period.start, r.period.end)
        )
        if r.closed is None:
            assert r.conversations_per_trajectory is None and r.specialised_care_rate is None
            assert all(v is None for v in r.outcome_share.values())
        else:
            assert r.conversations_per_trajectory == pytest.approx(
                statistics.fmean(f.conversation_count for f in closed)
            )
            for o in OUTCOMES:
                if r.closed_by_outcome[o] is None:
                    assert r.outcome_share[o] is None
                else:
                    assert r.outcome_share[o] == pytest.approx(
                        sum(f.outcome == o for f in closed) / len(closed)
                    )
            if r.closed_by_outcome["advised_specialised_care"] is not None:
                assert r.specialised_care_rate == pytest.approx(
                    sum(f.outcome == "advised_specialised_care" for f in closed) / len(closed)
                )
        if r.waiting_count is None:
            assert r.waiting_median is None and r.waiting_p90 is None
        else:
            assert r.waiting_median == pytest.approx(statistics.median(waited))
            # nearest rank: the smallest value with at least 90% of the values at or below it
            p90 = next(v for v in waited if sum(w <= v for w in waited) >= 0.9 * len(waited))
            assert r.waiting_p90 == p90


def test_a_large_team_shows_its_figures() -> None:
    rng = random.Random(7)
    facts = []
    for i in range(2000):
        ref = Y0 + timedelta(days=rng.randrange(300))
        closed = ref + timedelta(days=rng.randint(5, 60))
        facts.append(
            TrajectoryFact(
                f"t{i}",
                f"r{i % 4}",
                f"p{i % 2}",
                ref,
                rng.choice(CATEGORIES),
                ref + timedelta(days=rng.randint(0, 30)),
                closed,
                rng.choice(OUTCOMES),
                rng.randint(1, 5),
            )
        )
    ov = compute_overview(facts, first=Y0, last=Y1, granularity="month", root=TEAM, as_of=Y1)
    team_jan = ov.row(ScopeKind.TEAM, "team-1", f"{YEAR}-01")
    assert team_jan.referrals is not None and team_jan.referrals > 100
    assert team_jan.open_caseload is not None and team_jan.waiting_median is not None
    assert all(v is not None for v in team_jan.referrals_by_category.values())
    assert ov.row(ScopeKind.PROFESSIONAL, "r1", f"{YEAR}-03").closed is not None


# --- suppression ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_lists(), st.integers(2, 6))
def test_no_count_below_the_threshold_is_shown_anywhere(facts, threshold) -> None:
    for g in GRANS:
        ov = compute_overview(
            facts, first=Y0, last=Y1, granularity=g, root=TEAM, threshold=threshold
        )
        for key, value in shown_cells(ov).items():
            if value is not None:
                assert value >= threshold, key
        for row in export_rows(ov):
            for column, text in row.items():
                if column.startswith(("referrals", "closed", "waiting_")) and text.isdigit():
                    assert int(text) >= threshold, (column, text)


def relations(cells):
    """Every exact sum relation between shown-or-suppressed cells: (parent, children)."""
    periods = {p.key: p for (_f, _s, p, _k) in cells}
    kids_of = {}
    for p in periods.values():
        if p.parent is not None:
            kids_of.setdefault(p.parent, []).append(p)
    scopes = {s for (_f, s, _p, _k) in cells}
    scope_kids = {
        kind: sorted((c for c in scopes if c.kind is kind and not c.is_root), key=str)
        for kind in (ScopeKind.PRACTICE, ScopeKind.PROFESSIONAL)
    }
    out = []
    keyset = set(cells)
    for fam, s, p, k in cells:
        # time: a period is the sum of the periods directly inside it (weeks, months, quarters)
        kids = kids_of.get(p.key, [])
        if kids and all((fam, s, c, k) in keyset for c in kids):
            out.append(((fam, s, p, k), [(fam, s, c, k) for c in kids]))
        # key: the total is the sum of its categories
        if k == TOTAL and len(KEYS[fam]) > 1:
            out.append(((fam, s, p, k), [(fam, s, p, c) for c in KEYS[fam][1:]]))
        # scope: the root is the sum of its practices, and of its professionals
        if s.is_root:
            for kids in scope_kids.values():
                if kids:
                    out.append(((fam, s, p, k), [(fam, c, p, k) for c in kids]))
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_lists(), st.integers(2, 6))
def test_subtracting_shown_cells_never_leaves_exactly_one_hidden_cell(facts, threshold) -> None:
    """Team minus the practices, a month minus its weeks, a total minus the other categories."""
    cells = all_granularities(facts, threshold=threshold)
    for parent, kids in relations(cells):
        hidden = [c for c in [parent, *kids] if cells[c] is None]
        assert len(hidden) != 1, (parent[0], parent[1], parent[2].key, parent[3], hidden)


def witness(cell, practices, professionals, root):
    """Signed trajectories that change ``cell`` and leave every cell outside its protected block.

    The construction of the module docstring: in each hierarchy +1 under the cell, -1 under a
    sibling (or under the nearest ancestor's sibling; or +1 only at the root).
    """
    fam, s, p, k = cell
    r0 = professionals[0] if professionals else root.id
    if s.is_root:
        scope_part = [(1, practices[0], r0)]
    elif s.kind is ScopeKind.PRACTICE:
        others = [x for x in practices if x != s.id]
        scope_part = [(1, s.id, r0)] + ([(-1, others[0], r0)] if others else [])
    else:
        others = [x for x in professionals if x != s.id]
        scope_part = [(1, practices[0], s.id)] + ([(-1, practices[0], others[0])] if others else [])
    periods = year_periods(p.start.year)
    by_key = {x.key: x for x in periods}

    def children(key):
        return [x for x in periods if x.parent == key]

    def leaf_under(x):
        leaves = [
            w for w in periods if w.granularity is Granularity.WEEK and x.start <= w.start <= x.end
        ]
        return max(leaves, key=lambda w: (w.days, -w.start.toordinal()))

    a = p
    while a.parent is not None and len(children(a.parent)) == 1:
        a = by_key[a.parent]
    time_part = [(1, leaf_under(p))]
    if a.parent is not None:
        sib = next(x for x in children(a.parent) if x.key != a.key)
        time_part.append((-1, leaf_under(sib)))
    keys = KEYS[fam]
    key_part = [(1, keys[1] if k == TOTAL and len(keys) > 1 else k)]
    if k != TOTAL:
        key_part.append((-1, next(x for x in keys[1:] if x != k)))
    facts = []
    n = 0
    for ws, prac, prof in scope_part:
        for wt, leaf in time_part:
            for wk, key in key_part:
                w = ws * wt * wk
                d = leaf.start
                n += 1
                base = dict(professional_id=prof, practice_id=prac, conversation_count=0)
                if fam == "referrals":
                    facts.append(
                        (
                            TrajectoryFact(
                                f"w{n}",
                                referred_on=d,
                                request_category=key,
                                closed_on=d,
                                outcome=OUTCOMES[0],
                                **base,
                            ),
                            w,
                        )
                    )
                elif fam == "closed":
                    facts.append(
                        (
                            TrajectoryFact(
                                f"w{n}",
                                referred_on=d,
                                request_category=CATEGORIES[0],
                                closed_on=d,
                                outcome=key,
                                **base,
                            ),
                            w,
                        )
                    )
                elif fam == "waiting":
                    low = next(b[1] for b in WAIT_BUCKETS if b[0] == key)
                    ref = d - timedelta(days=low)
                    facts.append(
                        (
                            TrajectoryFact(
                                f"w{n}a",
                                referred_on=ref,
                                first_contact_on=d,
                                closed_on=d,
                                outcome=OUTCOMES[0],
                                **base,
                            ),
                            w,
                        )
                    )
                    facts.append(
                        (
                            TrajectoryFact(
                                f"w{n}b", referred_on=ref, closed_on=d, outcome=OUTCOMES[0], **base
                            ),
                            -w,
                        )
                    )
                else:
                    nxt = d + timedelta(days=1)
                    facts.append(
                        (
                            TrajectoryFact(
                                f"w{n}a", referred_on=d, closed_on=nxt, outcome=OUTCOMES[0], **base
                            ),
                            w,
                        )
                    )
                    facts.append(
                        (
                            TrajectoryFact(
                                f"w{n}b",
                                referred_on=nxt,
                                closed_on=nxt,
                                outcome=OUTCOMES[0],
                                **base,
                            ),
                            -w,
                        )
                    )
    return facts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fact_lists(max_size=100), st.integers(2, 6), st.booleans(), st.integers(0, 1000))
def test_no_hidden_cell_can_be_derived_from_the_shown_cells(
    facts, threshold, own_view, seed
) -> None:
    """For hidden cells there is other data with the same shown cells and another value here.

    Counts are linear in the trajectories, so "base + witness" shows the same cells exactly
    when the witness alone is zero on every shown cell, for every family and granularity.
    """
    root = Scope(ScopeKind.PROFESSIONAL, "r0") if own_view else TEAM
    if own_view:
        facts = [f for f in facts if f.professional_id == "r0"]
    cells = all_granularities(facts, root=root, threshold=threshold)
    practices = sorted(
        {s.id for (_f, s, _p, _k) in cells if s.kind is ScopeKind.PRACTICE and not s.is_root}
    )
    professionals = sorted(
        {s.id for (_f, s, _p, _k) in cells if s.kind is ScopeKind.PROFESSIONAL and not s.is_root}
    )
    if not practices:
        return
    hidden = [c for c, v in cells.items() if v is None]
    rng = random.Random(seed)
    for cell in rng.sample(hidden, min(len(hidden), 25)):
        delta = witness(cell, practices, professionals, root)
        fam, s, p, k = cell
        assert cell_value(delta, fam, s, p.start, p.end, k, Y1) != 0
        for other, value in cells.items():
            if value is None:
                continue
            ofam, os_, op, ok = other
            assert cell_value(delta, ofam, os_, op.start, op.end, ok, Y1) == 0, (cell, other)


def test_display_marks_suppressed_counts() -> None:
    assert display(None) == "<5"
    assert display(None, 10) == "<10"
    assert display(12) == "12"
    assert display(2.345, digits=1) == "2.3"


def test_referral_and_closed_totals_are_hidden_together() -> None:
    """A practice with 3 referrals but 8 closings in March: showing the closings would let a
    same-day referral-and-close change the hidden referral count unseen (rule 5)."""
    facts = []
    n = 0

    def add(practice, ref, closed=None, outcome=None):
        nonlocal n
        n += 1
        facts.append(
            TrajectoryFact(f"t{n}", f"r{n % 2}", practice, ref, "sleep", None, closed, outcome)
        )

    for month in range(1, 13):
        for i in range(3 if month == 3 else 8):
            add("p1", date(YEAR, month, 1 + i))
        for i in range(8):
            add("p1", date(YEAR - 1, 12, 1), date(YEAR, month, 10 + i), "dropped_out")
        for i in range(40):
            add("p2", date(YEAR, month, 1 + i % 28), date(YEAR, month, 1 + i % 28), "dropped_out")
    ov = compute_overview(facts, first=Y0, last=Y1, granularity="month", root=TEAM)
    march = ov.row(ScopeKind.PRACTICE, "p1", f"{YEAR}-03")
    assert march.referrals is None and march.closed is None
    cells = all_granularities(facts)
    practices, professionals = ["p1", "p2"], ["r0", "r1"]
    for cell, value in cells.items():
        if value is not None or cell[3] != TOTAL or cell[0] not in ("referrals", "closed"):
            continue
        delta = witness(cell, practices, professionals, TEAM)
        for other, shown in cells.items():
            if shown is not None:
                assert (
                    cell_value(
                        delta, other[0], other[1], other[2].start, other[2].end, other[3], Y1
                    )
                    == 0
                )


def test_small_practices_are_pooled_into_one_scope() -> None:
    assert practices_to_pool({"a": 500, "b": 300, "c": 20, "d": 30}) == {"c", "d", "b"}
    assert practices_to_pool({"a": 500, "b": 300}) == set()
    assert practices_to_pool({"a": 120, "c": 90}, limit=100) == {"c", "a"}
    facts = [
        TrajectoryFact(
            f"t{i}",
            "r0",
            "big" if i % 10 else "tiny",
            date(YEAR, 1 + i % 12, 3),
            closed_on=date(YEAR, 1 + i % 12, 13),
            outcome=OUTCOMES[i % 5],
        )
        for i in range(200)
    ]
    ov = compute_overview(
        facts, first=Y0, last=Y1, granularity="year", root=TEAM, pooled={YEAR: {"tiny"}}
    )
    kinds = {(s.kind, s.id) for s in ov.scopes}
    assert (ScopeKind.PRACTICE, OTHER_PRACTICES) in kinds
    assert (ScopeKind.PRACTICE, "tiny") not in kinds
    assert ov.row(ScopeKind.PRACTICE, OTHER_PRACTICES, str(YEAR)).referrals == 20
    assert ov.row(ScopeKind.PRACTICE, "big", str(YEAR)).referrals == 180


def test_pools_are_decided_by_the_year_before() -> None:
    referrals = {YEAR - 1: {"big": 150, "mid": 120, "tiny": 3}, YEAR: {"tiny": 500}}
    pools = pools_by_year(referrals, {"big", "mid", "tiny", "new"}, [YEAR, YEAR + 1])
    # tiny (3) and new (0) are small; their pool (3) grows with mid (120), the next smallest
    assert pools[YEAR] == {"tiny", "new", "mid"}
    # the next year is decided by this year's referrals: only tiny has any, and a pool of
    # the other three (0) would be empty, so tiny joins it and all are counted together
    assert pools[YEAR + 1] == {"big", "mid", "new", "tiny"}
