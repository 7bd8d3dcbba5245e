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
   together (a trajectory referred and closed on the same day moves both).

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

Derived figures (shares, rates, averages, medians, percentiles) are shown only when the count
they are computed from is shown. What is not covered: the medians and percentiles of a shown
group narrow down (but do not give) its bucket counts; and a professional in two teams appears
in both team tables, each with its own pattern.

The shown value of a suppressed count is ``None``; :func:`display` renders it as ``"<5"``
(which therefore means "fewer than 5, or hidden so that a smaller count cannot be derived").
"""

from __future__ import annotations

import calendar
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from liaison_desktop.domain.model import Outcome, RequestCategory

DEFAULT_THRESHOLD = 5

TOTAL = "*"
CATEGORIES: tuple[str, ...] = tuple(c.value for c in RequestCategory)
OUTCOMES: tuple[str, ...] = tuple(o.value for o in Outcome)
SPECIALISED = Outcome.ADVISED_SPECIALISED_CARE.value

WAIT_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7", 0, 7),
    ("8-14", 8, 14),
    ("15-28", 15, 28),
    ("29-56", 29, 56),
    ("57+", 57, None),
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


@dataclass(frozen=True, slots=True)
class TrajectoryFact:
    """The clear overview fields of one trajectory (no name, no note, no question)."""

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
    """All cells of one year tree for one root scope: counts, then the suppression closure."""

    def __init__(
        self,
        year: int,
        root: Scope,
        partitions: Sequence[Sequence[Scope]],
        threshold: int,
        as_of: date,
    ) -> None:
        self.year = year
        self.root = root
        self.partitions = [list(p) for p in partitions]
        self.threshold = threshold
        self.periods = year_periods(year)
        self.by_key = {p.key: p for p in self.periods}
        children: dict[str, list[str]] = defaultdict(list)
        for p in self.periods:
            if p.parent is not None:
                children[p.parent].append(p.key)
        self.time_children = dict(children)
        self.leaves = [p for p in self.periods if p.granularity is Granularity.WEEK]
        # leaf index per day of the year
        self.year_start = date(year, 1, 1)
        ndays = (date(year, 12, 31) - self.year_start).days + 1
        self.ndays = ndays
        self.leaf_of_day = [0] * ndays
        for i, leaf in enumerate(self.leaves):
            for d in range(
                (leaf.start - self.year_start).days, (leaf.end - self.year_start).days + 1
            ):
                self.leaf_of_day[d] = i
        # Ancestors of each leaf, leaf first.
        self.leaf_chain: list[tuple[str, ...]] = []
        for leaf in self.leaves:
            chain = [leaf.key]
            parent = leaf.parent
            while parent is not None:
                chain.append(parent)
                parent = self.by_key[parent].parent
            self.leaf_chain.append(tuple(chain))
        self.as_of = as_of
        self.counts: dict[tuple[Family, Scope, str, str], float] = defaultdict(float)
        self.waits: dict[tuple[Scope, str], list[int]] = defaultdict(list)
        self.conversations: dict[tuple[Scope, str], int] = defaultdict(int)
        self.suppressed: set[tuple[Family, Scope, str, str]] = set()
        self.scope_parent: dict[Scope, Scope] = {}
        self.scope_group: dict[Scope, int] = {}
        for gi, part in enumerate(self.partitions):
            for s in part:
                self.scope_parent[s] = root
                self.scope_group[s] = gi

    def day_index(self, day: date) -> int | None:
        i = (day - self.year_start).days
        return i if 0 <= i < self.ndays else None

    def add(self, fact: TrajectoryFact, scopes: Sequence[Scope]) -> None:
        counts = self.counts
        i = self.day_index(fact.referred_on)
        if i is not None:
            cat = (
                fact.request_category
                if fact.request_category in CATEGORIES
                else RequestCategory.OTHER.value
            )
            for t in self.leaf_chain[self.leaf_of_day[i]]:
                for s in scopes:
                    counts[(Family.REFERRALS, s, t, TOTAL)] += 1
                    counts[(Family.REFERRALS, s, t, cat)] += 1
        if fact.closed_on is not None:
            i = self.day_index(fact.closed_on)
            if i is not None:
                outcome = fact.outcome if fact.outcome in OUTCOMES else None
                for t in self.leaf_chain[self.leaf_of_day[i]]:
                    for s in scopes:
                        counts[(Family.CLOSED, s, t, TOTAL)] += 1
                        if outcome is not None:
                            counts[(Family.CLOSED, s, t, outcome)] += 1
                        self.conversations[(s, t)] += fact.conversation_count
        if fact.first_contact_on is not None:
            i = self.day_index(fact.first_contact_on)
            if i is not None:
                wait = max(0, (fact.first_contact_on - fact.referred_on).days)
                bucket = wait_bucket(wait)
                for t in self.leaf_chain[self.leaf_of_day[i]]:
                    for s in scopes:
                        counts[(Family.WAITING, s, t, TOTAL)] += 1
                        counts[(Family.WAITING, s, t, bucket)] += 1
                        self.waits[(s, t)].append(wait)

    def add_caseload(self, facts_by_scope: Mapping[Scope, Iterable[TrajectoryFact]]) -> None:
        """Person-days open per leaf: a difference array over the days of the year."""
        limit = min(self.ndays, max(0, (self.as_of - self.year_start).days + 1))
        for s, facts in facts_by_scope.items():
            delta = [0] * (self.ndays + 1)
            for f in facts:
                start = (f.referred_on - self.year_start).days
                end = self.ndays if f.closed_on is None else (f.closed_on - self.year_start).days
                start = max(0, start)
                end = min(end, limit)
                if end > start:
                    delta[start] += 1
                    delta[end] -= 1
            running = 0
            per_leaf = [0] * len(self.leaves)
            for d in range(limit):
                running += delta[d]
                per_leaf[self.leaf_of_day[d]] += running
            for li, value in enumerate(per_leaf):
                if value:
                    for t in self.leaf_chain[li]:
                        self.counts[(Family.CASELOAD, s, t, TOTAL)] += value

    def elapsed_days(self, period: Period) -> int:
        end = min(period.end, self.as_of)
        return max(0, (end - period.start).days + 1)

    # --- suppression ---------------------------------------------------------------------

    def all_scopes(self) -> list[Scope]:
        return [self.root, *(s for part in self.partitions for s in part)]

    def suppress(self) -> None:
        t = self.threshold
        work: list[tuple[Family, Scope, str, str]] = []
        for family, keys in FAMILY_KEYS.items():
            for s in self.all_scopes():
                for p in self.periods:
                    for k in keys:
                        cell = (family, s, p.key, k)
                        value = self.counts.get(cell, 0.0)
                        if family is Family.CASELOAD:
                            days = self.elapsed_days(p)
                            small = days == 0 or value < t * days
                        else:
                            small = value < t
                        if small:
                            work.append(cell)
        done_groups: set[tuple] = set()
        suppressed = self.suppressed

        def group(members: Iterable[tuple[Family, Scope, str, str]], key: tuple) -> None:
            if key in done_groups:
                return
            done_groups.add(key)
            for m in members:
                if m not in suppressed:
                    work.append(m)

        while work:
            cell = work.pop()
            if cell in suppressed:
                continue
            suppressed.add(cell)
            family, s, tk, k = cell
            keys = FAMILY_KEYS[family]
            # scope: siblings (rule 2), only child (3), children (4)
            if s is self.root or s == self.root:
                for gi, part in enumerate(self.partitions):
                    group(((family, c, tk, k) for c in part), ("S", family, gi, tk, k))
            else:
                gi = self.scope_group[s]
                part = self.partitions[gi]
                group(((family, c, tk, k) for c in part), ("S", family, gi, tk, k))
                if len(part) == 1:
                    work.append((family, self.root, tk, k))
            # time
            period = self.by_key[tk]
            kids = self.time_children.get(tk)
            if kids:
                group(((family, s, c, k) for c in kids), ("T", family, s, tk, k))
            if period.parent is not None:
                sibs = self.time_children[period.parent]
                group(((family, s, c, k) for c in sibs), ("T", family, s, period.parent, k))
                if len(sibs) == 1:
                    work.append((family, s, period.parent, k))
            # key
            if len(keys) > 1:
                group(((family, s, tk, c) for c in keys[1:]), ("K", family, s, tk))
                if k != TOTAL and len(keys) == 2:
                    work.append((family, s, tk, TOTAL))
            # tie (rule 5)
            if k == TOTAL and family is Family.REFERRALS:
                work.append((Family.CLOSED, s, tk, TOTAL))
            elif k == TOTAL and family is Family.CLOSED:
                work.append((Family.REFERRALS, s, tk, TOTAL))

    # --- output ----------------------------------------------------------------------------

    def shown(self, family: Family, s: Scope, tk: str, k: str = TOTAL) -> int | None:
        cell = (family, s, tk, k)
        if cell in self.suppressed:
            return None
        return int(self.counts.get(cell, 0))

    def figures(self, s: Scope, period: Period) -> Figures:
        tk = period.key
        f = Figures(scope=s, period=period)
        f.referrals = self.shown(Family.REFERRALS, s, tk)
        f.referrals_by_category = {c: self.shown(Family.REFERRALS, s, tk, c) for c in CATEGORIES}
        f.closed = self.shown(Family.CLOSED, s, tk)
        f.closed_by_outcome = {o: self.shown(Family.CLOSED, s, tk, o) for o in OUTCOMES}
        derive_shares(f)
        if f.closed:
            f.conversations_per_trajectory = self.conversations.get((s, tk), 0) / f.closed
        if (Family.CASELOAD, s, tk, TOTAL) not in self.suppressed:
            days = self.elapsed_days(period)
            if days:
                f.open_caseload = self.counts.get((Family.CASELOAD, s, tk, TOTAL), 0.0) / days
        f.waiting_count = self.shown(Family.WAITING, s, tk)
        f.waiting_by_bucket = {b: self.shown(Family.WAITING, s, tk, b) for b in BUCKETS}
        if f.waiting_count:
            waits = sorted(self.waits[(s, tk)])
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


def compute_overview(
    facts: Iterable[TrajectoryFact],
    *,
    first: date,
    last: date,
    granularity: Granularity | str = Granularity.MONTH,
    root: Scope,
    practices: Sequence[str] | None = None,
    professionals: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    as_of: date | None = None,
) -> Overview:
    """The suppressed overview of ``facts`` for ``root`` from ``first`` to ``last``.

    ``root`` is the team (then the practices and professionals are both shown) or one
    professional (their own figures; then only their practices). ``practices`` and
    ``professionals`` name the members of the partitions; by default those that occur in the
    facts. Periods are expanded to whole calendar periods; the suppression of each year is
    computed for the whole year tree (see the module docstring). ``as_of`` (default: ``last``)
    ends the open-caseload count. Pure; any thread.
    """
    if threshold < 1:
        raise ValueError("the suppression threshold must be at least 1")
    granularity = Granularity(granularity)
    facts = list(facts)
    as_of = as_of or last
    practice_ids = sorted(
        set(practices) if practices is not None else {f.practice_id for f in facts}
    )
    with_professionals = root.kind is ScopeKind.TEAM
    professional_ids = (
        sorted(
            set(professionals) if professionals is not None else {f.professional_id for f in facts}
        )
        if with_professionals
        else []
    )
    practice_scopes = [Scope(ScopeKind.PRACTICE, p) for p in practice_ids]
    professional_scopes = [Scope(ScopeKind.PROFESSIONAL, p) for p in professional_ids]
    root = Scope(root.kind, root.id, True)
    partitions = [practice_scopes] + ([professional_scopes] if with_professionals else [])
    by_practice = {s.id: s for s in practice_scopes}
    by_professional = {s.id: s for s in professional_scopes}
    periods = periods_between(first, last, granularity)
    rows: list[Figures] = []
    tables: dict[int, _YearTable] = {}
    for year in sorted({p.start.year for p in periods}):
        table = _YearTable(year, root, partitions, threshold, as_of)
        open_by_scope: dict[Scope, list[TrajectoryFact]] = defaultdict(list)
        year_start, year_end = date(year, 1, 1), date(year, 12, 31)
        for fact in facts:
            ps = by_practice.get(fact.practice_id)
            if ps is None:
                continue
            scopes = [root, ps]
            if with_professionals:
                rs = by_professional.get(fact.professional_id)
                if rs is None:
                    continue
                scopes.append(rs)
            table.add(fact, scopes)
            if fact.referred_on <= year_end and (
                fact.closed_on is None or fact.closed_on > year_start
            ):
                for s in scopes:
                    open_by_scope[s].append(fact)
        table.add_caseload(open_by_scope)
        table.suppress()
        tables[year] = table
    scopes = [root, *practice_scopes, *professional_scopes]
    for s in scopes:
        for p in periods:
            rows.append(tables[p.start.year].figures(s, p))
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
