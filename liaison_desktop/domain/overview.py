"""Team-leader overview figures from plain trajectory facts, with small-cell suppression.

Input: one :class:`TrajectoryFact` per trajectory (the clear overview fields only: practice,
professional, dates, status outcome, request category, number of conversations). Output: per
scope (the team or one professional as the root, then its practices and professionals) and
per period (ISO week part, month, quarter, year) the figures

- referrals received (by request category),
- trajectories closed (by outcome) with the share of each outcome and the rate of advice to
  refer to specialised youth care,
- open caseload, as the average number of open trajectories per day of the period,
- waiting days from referral to the first conversation (median and 90th percentile, and a
  distribution in buckets) of the trajectories whose first conversation fell in the period,
- conversations per closed trajectory.

Suppression (the rule, and why it holds)
-----------------------------------------

Every count is a cell ``(family, scope, period, key)``. Families: referrals (keys: ``*`` for
the total, then each request category), closed (``*``, then each outcome), waiting (``*``,
then each waiting bucket) and open caseload (person-days, only ``*``). Each cell sits in
three hierarchies whose children add up to the parent exactly:

- scope: the root (team, or the professional in their own view) is the sum of its practices
  and, separately, of its professionals;
- time: year = its quarters = its months = its week parts. A week is cut at a month boundary
  into two parts ("week 5, January part" and "week 5, February part"), so that weeks add up to
  months exactly instead of overlapping them;
- key: the total is the sum of its categories (outcomes, buckets).

Queries are expanded to whole calendar periods and the suppression pattern is computed for the
whole year tree of a scope whatever slice was asked for, so two requests always show the same
pattern and every difference of published cells is a difference inside one table.

A cell is suppressed when

1. (primary) its count is below the threshold (default 5; zero too), or for open caseload
   when the average per day is below the threshold;
2. (siblings) any cell with the same parent in one hierarchy is suppressed: within a sibling
   group either none or all are shown, so "parent minus the shown children" is always the
   parent itself or nothing;
3. (only child) it is suppressed and the only child of its parent: the parent is suppressed;
4. (children) its parent in any hierarchy is suppressed;
5. (tie) the referral total and the closed total of the same scope and period are suppressed
   together (a trajectory referred and closed on the same day moves both; and referrals minus
   closings equal the change of the open caseload, so one cannot move alone).

applied until nothing changes. Why no suppressed cell can be derived by any linear
combination of shown cells (team minus a practice, a month minus its weeks, a total minus the
other categories, or any longer chain): for each suppressed cell there is a second set of
trajectories that gives every shown cell the same value and this cell another. Take the
product of, in each hierarchy, "+1 below this cell, -1 below one sibling" (or, without a
sibling, the same at the nearest ancestor that has one, or just "+1" at the root): it changes
only the cell, its siblings, their ancestors up to (not including) the common parent, and
paths down to one leaf, in every combination. Rules 2-4 make exactly those cells suppressed.
Such trajectories are referred and closed on the same day (referrals, closed), differ only in
whether they had a first conversation (waiting), or in one open day (caseload), so other
families do not move, except the two totals that rule 5 ties. ``tests/domain/test_overview``
builds that witness for every suppressed cell on generated data and recomputes all cells.

Small practices (fewer than ``POOL_BELOW`` referrals in the year before, see
:func:`pools_by_year`) are counted together as "other practices", because one small sibling
hides all its siblings.

Derived figures (shares, rates, averages, medians, percentiles) are shown only when the count
they are computed from is shown. What is not covered: the medians and percentiles of a shown
group narrow down (but do not give) its bucket counts; and a professional in two teams appears
in both team tables, each with its own pattern.

The shown value of a suppressed count is ``None``; :func:`display` renders it as ``"<5"``
(which therefore means "fewer than 5, or hidden so that a smaller count cannot be derived").
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from liaison_desktop.domain.model import Outcome, RequestCategory

DEFAULT_THRESHOLD = 5
OTHER_PRACTICES = "other-practices"
"""The scope id of the small practices pooled together (``pooled`` of compute_overview)."""
POOL_BELOW = 100
"""A practice with fewer trajectories than this (all years) is pooled with the other small
ones: one small practice would otherwise hide every practice's figures (sibling rule)."""


def practices_to_pool(counts: Mapping[str, int], limit: int = POOL_BELOW) -> set[str]:
    """The practices to pool, from their trajectory counts (of the year before, see
    :func:`pools_by_year`); a pool that stays small grows with the next smallest practices."""
    small = {p for p, n in counts.items() if n < limit}
    if not small:
        return small
    # A pool that is itself small protects nothing: add the next smallest practices.
    total = sum(counts[p] for p in small)
    for p in sorted((p for p in counts if p not in small), key=lambda p: (counts[p], p)):
        if total >= limit:
            break
        small.add(p)
        total += counts[p]
    return small


TOTAL = "*"
CATEGORIES: tuple[str, ...] = tuple(c.value for c in RequestCategory)
OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome)
SPECIALISED = Outcome.ADVISED_SPECIALISED_CARE.value

# Four buckets, not more: a bucket below the threshold hides the whole distribution of its
# scope and period (sibling rule), and a fine long tail is nearly always small.
WAIT_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-14", 8, 14),
    ("15-28", 15, 28),
    ("29+", 29, None),
)
BUCKETS: tuple[str, ...] = tuple(b[0] for b in WAIT_BUCKETS)


class Granularity(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class ScopeKind(StrEnum):
    TEAM = "team"
    PRACTICE = "practice"
    PROFESSIONAL = "professional"


class Family(StrEnum):
    REFERRALS = "referrals"
    CLOSED = "closed"
    WAITING = "waiting"
    CASELOAD = "caseload"


FAMILY_KEYS: Mapping[Family, tuple[str, ...]] = {
    Family.REFERRALS: (TOTAL, *CATEGORIES),
    Family.CLOSED: (TOTAL, *OUTCOMES),
    Family.WAITING: (TOTAL, *BUCKETS),
    Family.CASELOAD: (TOTAL,),
}


@dataclass(slots=True)
class TrajectoryFact:
    """The clear overview fields of one trajectory (no name, no note, no question).

    Not frozen: a frozen dataclass's ``__init__`` costs a ``object.__setattr__`` per field,
    which is a third of fetching 10,000 rows. Treat it as read-only.
    """

    trajectory_id: str
    professional_id: str
    practice_id: str
    referred_on: date
    request_category: str = RequestCategory.OTHER.value
    first_contact_on: date | None = None
    closed_on: date | None = None
    outcome: str | None = None
    conversation_count: int = 0
    age_band: str | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar period; ``end`` inclusive. Week parts carry the ISO week number."""

    key: str
    granularity: Granularity
    start: date
    end: date
    parent: str | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Scope:
    kind: ScopeKind
    id: str
    is_root: bool = False


@dataclass(slots=True)
class Figures:
    """The shown figures of one scope in one period; ``None`` is suppressed."""

    scope: Scope
    period: Period
    referrals: int | None = None
    referrals_by_category: dict[str, int | None] = field(default_factory=dict)
    category_share: dict[str, float | None] = field(default_factory=dict)
    closed: int | None = None
    closed_by_outcome: dict[str, int | None] = field(default_factory=dict)
    outcome_share: dict[str, float | None] = field(default_factory=dict)
    specialised_care_rate: float | None = None
    open_caseload: float | None = None
    waiting_count: int | None = None
    waiting_by_bucket: dict[str, int | None] = field(default_factory=dict)
    waiting_median: float | None = None
    waiting_p90: float | None = None
    conversations_per_trajectory: float | None = None


@dataclass(slots=True)
class Overview:
    """Figures per scope and period, in scope order then period order."""

    threshold: int
    granularity: Granularity
    first: date
    last: date
    as_of: date
    scopes: list[Scope]
    periods: list[Period]
    rows: list[Figures]

    def row(self, scope_kind: ScopeKind | str, scope_id: str, period_key: str) -> Figures:
        for r in self.rows:
            if r.scope.kind == scope_kind and r.scope.id == scope_id and r.period.key == period_key:
                return r
        raise KeyError((scope_kind, scope_id, period_key))


def pools_by_year(
    referrals: Mapping[int, Mapping[str, int]], practices: Iterable[str], years: Iterable[int]
) -> dict[int, set[str]]:
    """For each year, the practices pooled in it, from ``referrals[year - 1][practice]``.

    Why the year before: the cut of the practices must not depend on the period asked for,
    nor change later for a period already shown (else "pool then" minus "practice now"
    recovers a small practice). A completed year's data does not change, so neither does the
    pool it decides. A practice without referrals in the year before (a new one) is pooled.
    """
    practices = set(practices)
    return {
        y: practices_to_pool({p: referrals.get(y - 1, {}).get(p, 0) for p in practices})
        for y in years
    }


def display(
    value: float | int | None, threshold: int = DEFAULT_THRESHOLD, *, digits: int = 0
) -> str:
    """A shown count or figure as text; a suppressed count as ``"<5"`` (the threshold)."""
    if value is None:
        return f"<{threshold}"
    if digits == 0:
        return str(int(round(value)))
    return f"{value:.{digits}f}"


# --- the calendar ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def year_periods(year: int) -> tuple[Period, ...]:
    """Every period of one year tree: the year, quarters, months and week parts."""
    out = [Period(str(year), Granularity.YEAR, date(year, 1, 1), date(year, 12, 31))]
    for q in range(4):
        qkey = f"{year}-Q{q + 1}"
        out.append(
            Period(
                qkey,
                Granularity.QUARTER,
                date(year, 3 * q + 1, 1),
                date(year, 3 * q + 3, calendar.monthrange(year, 3 * q + 3)[1]),
                str(year),
            )
        )
    for m in range(1, 13):
        mkey = f"{year}-{m:02d}"
        last = date(year, m, calendar.monthrange(year, m)[1])
        out.append(
            Period(mkey, Granularity.MONTH, date(year, m, 1), last, f"{year}-Q{(m - 1) // 3 + 1}")
        )
        day = date(year, m, 1)
        while day <= last:
            end = min(last, day + timedelta(days=6 - day.weekday()))
            week = day.isocalendar().week
            out.append(Period(f"{mkey}-W{week:02d}", Granularity.WEEK, day, end, mkey))
            day = end + timedelta(days=1)
    return tuple(out)


def periods_between(first: date, last: date, granularity: Granularity) -> list[Period]:
    """The periods of ``granularity`` that overlap ``first``..``last`` (whole periods)."""
    if last < first:
        raise ValueError("the end of the period lies before its start")
    return [
        p
        for y in range(first.year, last.year + 1)
        for p in year_periods(y)
        if p.granularity is granularity and p.end >= first and p.start <= last
    ]


def wait_bucket(days: int) -> str:
    for name, low, high in WAIT_BUCKETS:
        if days >= low and (high is None or days <= high):
            return name
    return BUCKETS[0]  # negative waits (a contact logged before the referral date) count as 0


def median(values: Sequence[float]) -> float:
    """The median of sorted ``values`` (mean of the middle two for an even count)."""
    n = len(values)
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2


def p90(values: Sequence[float]) -> float:
    """The 90th percentile of sorted ``values`` by the nearest-rank method."""
    return float(values[max(0, math.ceil(0.9 * len(values)) - 1)])


# --- counting ----------------------------------------------------------------------------------


class _YearTable:
    """All cells of one year tree for one root scope: counts, then the suppression closure.

    Cells are flat integer indices (family, scope, period, key) into lists: hashing scope
    objects per fact and per cell cost seconds at 10,000 trajectories.
    """

    def __init__(
        self,
        year: int,
        scopes: Sequence[Scope],
        partitions: Sequence[Sequence[int]],
        threshold: int,
        as_of: date,
    ) -> None:
        self.year = year
        self.scopes = list(scopes)
        self.scope_index = {s: i for i, s in enumerate(self.scopes)}
        self.partitions = [list(p) for p in partitions]
        self.group_of = {s: gi for gi, part in enumerate(self.partitions) for s in part}
        self.threshold = threshold
        self.as_of = as_of
        # Periods that start after ``as_of`` are zero by construction (later events are not
        # counted): they are known to everyone, so they are left out of every sibling group.
        self.periods = [p for p in year_periods(year) if p.start <= as_of]
        self.index_of = {p.key: i for i, p in enumerate(self.periods)}
        self.parent = [-1 if p.parent is None else self.index_of[p.parent] for p in self.periods]
        self.children: list[list[int]] = [[] for _ in self.periods]
        for i, par in enumerate(self.parent):
            if par >= 0:
                self.children[par].append(i)
        self.leaves = [i for i, p in enumerate(self.periods) if p.granularity is Granularity.WEEK]
        self.year_start = date(year, 1, 1)
        self.ndays = (date(year, 12, 31) - self.year_start).days + 1
        self.limit = min(self.ndays, max(0, (as_of - self.year_start).days + 1))
        self.leaf_of_day = [-1] * self.ndays
        for li in self.leaves:
            p = self.periods[li]
            for d in range((p.start - self.year_start).days, (p.end - self.year_start).days + 1):
                self.leaf_of_day[d] = li
        self.chain: list[tuple[int, ...]] = []
        for i in range(len(self.periods)):
            c = [i]
            while self.parent[c[-1]] >= 0:
                c.append(self.parent[c[-1]])
            self.chain.append(tuple(c))
        self.NS, self.NT = len(self.scopes), len(self.periods)
        self.nkeys = {f: len(FAMILY_KEYS[f]) for f in Family}
        self.key_index = {f: {k: i for i, k in enumerate(FAMILY_KEYS[f])} for f in Family}
        self.offset: dict[Family, int] = {}
        total = 0
        for f in Family:
            self.offset[f] = total
            total += self.NS * self.NT * self.nkeys[f]
        self.counts = [0] * total
        self.suppressed = bytearray(total)
        # per (scope, leaf): waits and conversation sums; rolled up on demand
        self.leaf_waits: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.conv = [0] * (self.NS * self.NT)

    def cell(self, family: Family, s: int, t: int, k: int) -> int:
        return self.offset[family] + (s * self.NT + t) * self.nkeys[family] + k

    def day_index(self, day: date) -> int | None:
        i = (day - self.year_start).days
        return i if 0 <= i < self.limit else None

    def add_all(self, facts: Sequence[tuple[TrajectoryFact, tuple[int, ...]]]) -> None:
        """Count every fact at its leaves, then roll the leaves up the time tree."""
        counts = self.counts
        NT = self.NT
        ref_off, ref_n = self.offset[Family.REFERRALS], self.nkeys[Family.REFERRALS]
        cl_off, cl_n = self.offset[Family.CLOSED], self.nkeys[Family.CLOSED]
        w_off, w_n = self.offset[Family.WAITING], self.nkeys[Family.WAITING]
        cat_idx = self.key_index[Family.REFERRALS]
        out_idx = self.key_index[Family.CLOSED]
        bucket_idx = self.key_index[Family.WAITING]
        other = cat_idx[RequestCategory.OTHER.value]
        leaf_of_day, year_start, limit = self.leaf_of_day, self.year_start, self.limit
        conv = self.conv
        waits = self.leaf_waits
        person = [[0] * (self.ndays + 1) for _ in range(self.NS)]
        for fact, scopes in facts:
            d = (fact.referred_on - year_start).days
            if 0 <= d < limit:
                leaf = leaf_of_day[d]
                k = cat_idx.get(fact.request_category, other)
                for s in scopes:
                    base = ref_off + (s * NT + leaf) * ref_n
                    counts[base] += 1
                    counts[base + k] += 1
            if fact.closed_on is not None:
                d = (fact.closed_on - year_start).days
                if 0 <= d < limit:
                    leaf = leaf_of_day[d]
                    k = out_idx.get(fact.outcome or "", 0)
                    for s in scopes:
                        base = cl_off + (s * NT + leaf) * cl_n
                        counts[base] += 1
                        if k:
                            counts[base + k] += 1
                        conv[s * NT + leaf] += fact.conversation_count
            if fact.first_contact_on is not None:
                d = (fact.first_contact_on - year_start).days
                if 0 <= d < limit:
                    leaf = leaf_of_day[d]
                    wait = max(0, (fact.first_contact_on - fact.referred_on).days)
                    k = bucket_idx[wait_bucket(wait)]
                    for s in scopes:
                        base = w_off + (s * NT + leaf) * w_n
                        counts[base] += 1
                        counts[base + k] += 1
                        waits[(s, leaf)].append(wait)
            # open days: referred_on .. closed_on - 1, within the counted days of the year
            start = max(0, (fact.referred_on - year_start).days)
            end = (
                limit if fact.closed_on is None else min(limit, (fact.closed_on - year_start).days)
            )
            if end > start:
                for s in scopes:
                    row = person[s]
                    row[start] += 1
                    row[end] -= 1
        cs_off = self.offset[Family.CASELOAD]
        for s in range(self.NS):
            row = person[s]
            running = 0
            for d in range(limit):
                running += row[d]
                if running:
                    counts[cs_off + s * NT + leaf_of_day[d]] += running
        # roll up: every non-leaf period is the sum of its children (children come later in
        # ``periods`` than... not guaranteed, so walk leaves up their chains)
        for family in Family:
            off, n = self.offset[family], self.nkeys[family]
            for s in range(self.NS):
                for leaf in self.leaves:
                    base = off + (s * NT + leaf) * n
                    vals = counts[base : base + n]
                    if not any(vals):
                        continue
                    for t in self.chain[leaf][1:]:
                        tb = off + (s * NT + t) * n
                        for k in range(n):
                            counts[tb + k] += vals[k]
        for s in range(self.NS):
            for leaf in self.leaves:
                v = conv[s * NT + leaf]
                if v:
                    for t in self.chain[leaf][1:]:
                        conv[s * NT + t] += v

    def elapsed_days(self, t: int) -> int:
        period = self.periods[t]
        end = min(period.end, self.as_of)
        return max(0, (end - period.start).days + 1)

    # --- suppression ---------------------------------------------------------------------

    def suppress(self) -> None:
        thr = self.threshold
        NS, NT = self.NS, self.NT
        counts, suppressed = self.counts, self.suppressed
        families = list(Family)
        offs = [self.offset[f] for f in families]
        nks = [self.nkeys[f] for f in families]
        ref, closed = families.index(Family.REFERRALS), families.index(Family.CLOSED)
        caseload = families.index(Family.CASELOAD)
        work: list[tuple[int, int, int, int]] = []
        days = [self.elapsed_days(t) for t in range(NT)]
        for fn in range(len(families)):
            off, n = offs[fn], nks[fn]
            for s in range(NS):
                for t in range(NT):
                    base = off + (s * NT + t) * n
                    if fn == caseload:
                        if days[t] == 0 or counts[base] < thr * days[t]:
                            work.append((fn, s, t, 0))
                        continue
                    for k in range(n):
                        if counts[base + k] < thr:
                            work.append((fn, s, t, k))
        done: set[tuple[int, ...]] = set()
        mark, extend, push, pop = done.add, work.extend, work.append, work.pop
        partitions, group_of = self.partitions, self.group_of
        parent, children = self.parent, self.children
        scope_groups = [
            (gi, part) for gi, part in enumerate(partitions)
        ]  # the root's children: every partition

        while work:
            fn, s, t, k = pop()
            n = nks[fn]
            cid = offs[fn] + (s * NT + t) * n + k
            if suppressed[cid]:
                continue
            suppressed[cid] = 1
            # scope: siblings (rule 2), only child (3), children (4)
            if s == 0:
                for gi, part in scope_groups:
                    key = (0, fn, gi, t, k)
                    if key not in done:
                        mark(key)
                        extend([(fn, c, t, k) for c in part])
            else:
                gi = group_of[s]
                key = (0, fn, gi, t, k)
                if key not in done:
                    mark(key)
                    part = partitions[gi]
                    extend([(fn, c, t, k) for c in part])
                    if len(part) == 1:
                        push((fn, 0, t, k))
            # time
            kids = children[t]
            if kids:
                key = (1, fn, s, t, k)
                if key not in done:
                    mark(key)
                    extend([(fn, s, c, k) for c in kids])
            p = parent[t]
            if p >= 0:
                key = (1, fn, s, p, k)
                if key not in done:
                    mark(key)
                    sibs = children[p]
                    extend([(fn, s, c, k) for c in sibs])
                    if len(sibs) == 1:
                        push((fn, s, p, k))
            # key
            if n > 1:
                key = (2, fn, s, t)
                if key not in done:
                    mark(key)
                    extend([(fn, s, t, c) for c in range(1, n)])
                    if n == 2:
                        push((fn, s, t, 0))
            # tie (rule 5)
            if k == 0:
                if fn == ref:
                    push((closed, s, t, 0))
                elif fn == closed:
                    push((ref, s, t, 0))

    # --- output ----------------------------------------------------------------------------

    def shown(self, family: Family, s: int, t: int, k: int = 0) -> int | None:
        cid = self.cell(family, s, t, k)
        return None if self.suppressed[cid] else self.counts[cid]

    def _leaves_under(self, t: int) -> list[int]:
        out, stack = [], [t]
        while stack:
            x = stack.pop()
            if self.children[x]:
                stack.extend(self.children[x])
            else:
                out.append(x)
        return out

    def figures(self, s: int, period: Period) -> Figures:
        t = self.index_of[period.key]
        f = Figures(scope=self.scopes[s], period=period)
        R, C, W = Family.REFERRALS, Family.CLOSED, Family.WAITING
        f.referrals = self.shown(R, s, t)
        f.referrals_by_category = {c: self.shown(R, s, t, i) for i, c in enumerate(CATEGORIES, 1)}
        f.closed = self.shown(C, s, t)
        f.closed_by_outcome = {o: self.shown(C, s, t, i) for i, o in enumerate(OUTCOMES, 1)}
        derive_shares(f)
        if f.closed:
            f.conversations_per_trajectory = self.conv[s * self.NT + t] / f.closed
        if not self.suppressed[self.cell(Family.CASELOAD, s, t, 0)]:
            days = self.elapsed_days(t)
            if days:
                f.open_caseload = self.counts[self.cell(Family.CASELOAD, s, t, 0)] / days
        f.waiting_count = self.shown(W, s, t)
        f.waiting_by_bucket = {b: self.shown(W, s, t, i) for i, b in enumerate(BUCKETS, 1)}
        if f.waiting_count:
            waits = sorted(
                w for leaf in self._leaves_under(t) for w in self.leaf_waits.get((s, leaf), ())
            )
            f.waiting_median = median(waits)
            f.waiting_p90 = p90(waits)
        return f


def derive_shares(f: Figures) -> None:
    """Shares and the specialised-care rate from the shown counts (hidden stays hidden)."""
    f.category_share = {
        c: (None if v is None or not f.referrals else v / f.referrals)
        for c, v in f.referrals_by_category.items()
    }
    f.outcome_share = {
        o: (None if v is None or not f.closed else v / f.closed)
        for o, v in f.closed_by_outcome.items()
    }
    f.specialised_care_rate = f.outcome_share.get(SPECIALISED)


def _until(fact: TrajectoryFact, as_of: date) -> TrajectoryFact | None:
    """The fact as it stood on ``as_of``: later events have not happened yet."""
    if fact.referred_on > as_of:
        return None
    first = (
        fact.first_contact_on if fact.first_contact_on and fact.first_contact_on <= as_of else None
    )
    if fact.closed_on is not None and fact.closed_on > as_of:
        return dataclasses.replace(fact, first_contact_on=first, closed_on=None, outcome=None)
    if first is not fact.first_contact_on:
        return dataclasses.replace(fact, first_contact_on=first)
    return fact


def compute_overview(
    facts: Iterable[TrajectoryFact],
    *,
    first: date,
    last: date,
    granularity: Granularity | str = Granularity.MONTH,
    root: Scope,
    practices: Sequence[str] | None = None,
    pooled: Mapping[int, Iterable[str]] | None = None,
    professionals: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    as_of: date | None = None,
) -> Overview:
    """The suppressed overview of ``facts`` for ``root`` from ``first`` to ``last``.

    ``root`` is the team (then the practices and professionals are both shown) or one
    professional (their own figures; then only their practices). ``practices`` and
    ``professionals`` name the members of the partitions; by default those that occur in the
    facts. ``pooled`` maps a year to the practices counted together in that year as one
    scope ``OTHER_PRACTICES`` (see :func:`pools_by_year`). Periods are expanded to whole
    calendar periods; the suppression of each year is computed for the whole year tree (see
    the module docstring). ``as_of`` (default: ``last``) is "today": events after it are not
    counted and periods after it are not shown. It must not depend on the slice asked for, or
    two slices could show different patterns. Pure; any thread.
    """
    if threshold < 1:
        raise ValueError("the suppression threshold must be at least 1")
    granularity = Granularity(granularity)
    facts = list(facts)
    as_of = as_of or last
    pooled = pooled or {}
    all_practices = set(practices) if practices is not None else {f.practice_id for f in facts}
    with_professionals = root.kind is ScopeKind.TEAM
    professional_ids = (
        sorted(
            set(professionals) if professionals is not None else {f.professional_id for f in facts}
        )
        if with_professionals
        else []
    )
    root = Scope(root.kind, root.id, True)
    periods = [p for p in periods_between(first, last, granularity) if p.start <= as_of]
    clipped = [c for c in (_until(f, as_of) for f in facts) if c is not None]
    rows_by_scope: dict[Scope, list[Figures]] = defaultdict(list)
    order: list[Scope] = [root]
    for year in sorted({p.start.year for p in periods}):
        pool = frozenset(pooled.get(year, ()))
        practice_ids = sorted({OTHER_PRACTICES if p in pool else p for p in all_practices})
        scopes = [
            root,
            *(Scope(ScopeKind.PRACTICE, p) for p in practice_ids),
            *(Scope(ScopeKind.PROFESSIONAL, p) for p in professional_ids),
        ]
        n_prac = len(practice_ids)
        by_practice = {p: i + 1 for i, p in enumerate(practice_ids)}
        by_professional = {p: i + 1 + n_prac for i, p in enumerate(professional_ids)}
        partitions = [list(range(1, n_prac + 1))]
        if with_professionals:
            partitions.append(list(range(n_prac + 1, len(scopes))))
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        placed: list[tuple[TrajectoryFact, tuple[int, ...]]] = []
        for c in clipped:
            if c.referred_on > year_end or not (
                c.closed_on is None
                or c.closed_on >= year_start
                or (c.first_contact_on is not None and c.first_contact_on >= year_start)
            ):
                continue
            ps = by_practice.get(OTHER_PRACTICES if c.practice_id in pool else c.practice_id)
            if ps is None:
                continue
            if with_professionals:
                rs = by_professional.get(c.professional_id)
                if rs is None:
                    continue
                placed.append((c, (0, ps, rs)))
            else:
                placed.append((c, (0, ps)))
        table = _YearTable(year, scopes, partitions, threshold, as_of)
        table.add_all(placed)
        table.suppress()
        for si, scope in enumerate(scopes):
            if scope not in rows_by_scope and scope not in order:
                order.append(scope)
            for p in periods:
                if p.start.year == year:
                    rows_by_scope[scope].append(table.figures(si, p))
    kind_rank = {ScopeKind.TEAM: 0, ScopeKind.PRACTICE: 1, ScopeKind.PROFESSIONAL: 2}
    scopes = [root] + sorted(
        (s for s in order if not s.is_root), key=lambda s: (kind_rank[s.kind], s.id)
    )
    rows = [r for s in scopes for r in rows_by_scope.get(s, [])]
    return Overview(threshold, granularity, first, last, as_of, scopes, periods, rows)


# --- flat rows for exports -----------------------------------------------------------------------

EXPORT_COLUMNS: tuple[str, ...] = (
    "scope_kind",
    "scope_id",
    "scope_name",
    "period",
    "period_start",
    "period_end",
    "referrals",
    *(f"referrals_{c}" for c in CATEGORIES),
    "closed",
    *(f"closed_{o}" for o in OUTCOMES),
    "specialised_care_rate",
    "open_caseload",
    "waiting_count",
    *(f"waiting_{b}" for b in BUCKETS),
    "waiting_median_days",
    "waiting_p90_days",
    "conversations_per_trajectory",
)


def export_rows(overview: Overview, names: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """One text row per scope and period, suppressed values as ``"<5"``: CSV and JSON alike."""
    names = names or {}
    t = overview.threshold

    def count(v: int | None) -> str:
        return display(v, t)

    def derived(v: float | None, digits: int = 1) -> str:
        return "" if v is None else f"{v:.{digits}f}"

    out = []
    for r in overview.rows:
        row = {
            "scope_kind": r.scope.kind.value,
            "scope_id": r.scope.id,
            "scope_name": names.get(r.scope.id, ""),
            "period": r.period.key,
            "period_start": r.period.start.isoformat(),
            "period_end": r.period.end.isoformat(),
            "referrals": count(r.referrals),
        }
        row.update({f"referrals_{c}": count(v) for c, v in r.referrals_by_category.items()})
        row["closed"] = count(r.closed)
        row.update({f"closed_{o}": count(v) for o, v in r.closed_by_outcome.items()})
        row["specialised_care_rate"] = derived(r.specialised_care_rate, 3)
        row["open_caseload"] = "" if r.open_caseload is None else derived(r.open_caseload)
        if r.open_caseload is None:
            row["open_caseload"] = f"<{t}"
        row["waiting_count"] = count(r.waiting_count)
        row.update({f"waiting_{b}": count(v) for b, v in r.waiting_by_bucket.items()})
        row["waiting_median_days"] = derived(r.waiting_median)
        row["waiting_p90_days"] = derived(r.waiting_p90)
        row["conversations_per_trajectory"] = derived(r.conversations_per_trajectory, 2)
        out.append(row)
    return out


# --- the figures as one list of values (the wire format) ------------------------------------------

MEASURES: tuple[str, ...] = (
    "referrals",
    *(f"referrals.{c}" for c in CATEGORIES),
    "closed",
    *(f"closed.{o}" for o in OUTCOMES),
    "open_caseload",
    "waiting_count",
    *(f"waiting.{b}" for b in BUCKETS),
    "waiting_median",
    "waiting_p90",
    "conversations_per_trajectory",
)
"""The order of :func:`figure_values`; shares and rates are derived again from the counts."""


def _num(value: float | int | None, digits: int = 4) -> str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def figure_values(f: Figures) -> list[str | None]:
    """The figures of one row as decimal text in :data:`MEASURES` order; None when hidden."""
    return [
        _num(f.referrals),
        *(_num(f.referrals_by_category.get(c)) for c in CATEGORIES),
        _num(f.closed),
        *(_num(f.closed_by_outcome.get(o)) for o in OUTCOMES),
        _num(f.open_caseload),
        _num(f.waiting_count),
        *(_num(f.waiting_by_bucket.get(b)) for b in BUCKETS),
        _num(f.waiting_median),
        _num(f.waiting_p90),
        _num(f.conversations_per_trajectory),
    ]


def figures_from_values(
    scope: Scope, period: Period, columns: Sequence[str], values: Sequence[str | None]
) -> Figures:
    """The inverse of :func:`figure_values` (by column name, so a newer peer may add some).

    Raises ValueError on a value that is not a number, or a count below zero.
    """
    got = dict(zip(columns, values, strict=False))

    def count(name: str) -> int | None:
        text = got.get(name)
        if text is None:
            return None
        value = int(text)
        if value < 0:
            raise ValueError(f"{name}: a count below zero")
        return value

    def number(name: str) -> float | None:
        text = got.get(name)
        if text is None:
            return None
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"{name}: not a finite number")
        return value

    f = Figures(scope=scope, period=period)
    f.referrals = count("referrals")
    f.referrals_by_category = {c: count(f"referrals.{c}") for c in CATEGORIES}
    f.closed = count("closed")
    f.closed_by_outcome = {o: count(f"closed.{o}") for o in OUTCOMES}
    f.open_caseload = number("open_caseload")
    f.waiting_count = count("waiting_count")
    f.waiting_by_bucket = {b: count(f"waiting.{b}") for b in BUCKETS}
    f.waiting_median = number("waiting_median")
    f.waiting_p90 = number("waiting_p90")
    f.conversations_per_trajectory = number("conversations_per_trajectory")
    derive_shares(f)
    return f


def period_from_key(key: str) -> Period:
    """The calendar period named by ``key`` ("2026", "2026-Q1", "2026-03", "2026-03-W10")."""
    try:
        year = int(key[:4])
    except ValueError:
        raise ValueError(f"unknown period {key!r}") from None
    for p in year_periods(year):
        if p.key == key:
            return p
    raise ValueError(f"unknown period {key!r}")
