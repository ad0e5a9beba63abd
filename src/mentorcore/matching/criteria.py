"""Matching criteria: how a leader-mentor pair is scored on one aspect.

A :class:`Criterion` scores pairs in [0, 1] and explains a score in a short
reason. It is vectorised: ``prepare(cohort, params)`` encodes what it needs
from the whole cohort once (arrays of codes, coordinates) and returns a
:class:`PairScorer`, whose ``scores(leaders, mentors)`` takes two equal-length
arrays of indices (into ``cohort.leaders`` and ``cohort.mentors``) and returns
one score per pair, ``NaN`` where the criterion does not apply (an attribute
unknown on one side); such a pair gets nothing from the criterion. Reasons
are asked only for the pairs finally chosen; a scorer may also define
``reasons(leaders, mentors)``, the reasons of many pairs at once, which the
engine then uses instead of one ``reason`` call per pair.

The core's generic criteria (ids in :data:`BUILTIN_CRITERIA`):

``distance``
    closeness of the two schools from coordinates: ``1 - d / scale_km``
    (0 beyond ``scale_km``; parameter ``scale_km``, default the program's
    ``max_distance_km``, else 100 km); does not apply without coordinates
    on both sides.
``region``
    1 for the same region, 0 otherwise (with ``distance``, the geography
    of people who have no coordinates).
``school_context`` / ``school_level``
    1 for the same school context (urban, suburban, rural …) / level
    (elementary, middle, high …), 0 otherwise.
``goals``
    the share of the leader's professional goals and needs that the
    mentor's expertise covers. Values compare without case, and ``_`` reads
    as a space; a program's ``goal_areas`` make an area's id and its text
    the same value (``general_leadership`` = ``General leadership``).
``interpersonal_style``
    1 for the same interpersonal style, 0 otherwise.
``learning_needs``
    the share of the leader's learning needs that the mentor's approaches meet.
``gender`` / ``race`` (sensitive)
    1 for the same, 0 otherwise, only for a leader whose ``prefer_same``
    names the attribute and where it is known on both sides. The matching
    engine enforces that gate for every criterion marked ``sensitive``: its
    id must be the attribute named in ``prefer_same``.

A plug-in adds a criterion through the ``register_criteria`` hook; for a
simple one, :func:`pair_criterion` wraps a per-pair Python function (slower:
one call per candidate pair).

NumPy is imported only when a criterion is prepared, never at import time.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from attrs import field, frozen

from mentorcore.people import Leader, Mentor, Person
from mentorcore.validation import non_empty

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Indices = npt.NDArray[np.intp]
    Scores = npt.NDArray[np.float64]

__all__ = [
    "BUILTIN_CRITERIA",
    "DEFAULT_WEIGHTS",
    "EARTH_RADIUS_KM",
    "Cohort",
    "Criterion",
    "PairScorer",
    "Param",
    "builtin_criteria",
    "pair_criterion",
]

#: A criterion parameter value (from ``CriterionWeight.params``).
Param = str | int | float | bool

#: Mean Earth radius used by the haversine distance.
EARTH_RADIUS_KM = 6371.0088


class PairScorer(Protocol):
    """A criterion prepared for one cohort."""

    def scores(self, leaders: Indices, mentors: Indices) -> Scores:
        """A score in [0, 1] per pair ``(leaders[k], mentors[k])``; ``NaN``: does not apply."""
        ...

    def reason(self, leader: int, mentor: int) -> str:
        """A short reason for the score of one pair (indices into the cohort)."""
        ...


@frozen(kw_only=True)
class Criterion:
    """A named way of scoring leader-mentor pairs in [0, 1], with a reason per pair.

    ``prepare(cohort, params)`` returns a :class:`PairScorer` for the cohort
    (``params`` come from the program's ``CriterionWeight.params``).
    ``sensitive=True`` marks a criterion over gender or race: its id names
    the attribute, it counts only for leaders whose ``prefer_same`` names
    it, and its reasons reach program staff only. ``attributes`` name the
    people's attributes it reads (``leader.goals``, ``mentor.expertise``):
    each reason it gives keeps them as its references.
    """

    id: str = field(validator=non_empty)
    description: str
    prepare: Callable[[Cohort, Mapping[str, Param]], PairScorer] = field(eq=False, repr=False)
    sensitive: bool = False
    attributes: tuple[str, ...] = ()


class Cohort:
    """The leaders and mentors of one match, with attributes encoded as arrays once.

    Criteria share the encodings (each is computed on first use and cached),
    so a cohort of thousands is read attribute by attribute, never pair by pair.
    ``max_distance_km`` is the bound in force for on-site work, if any;
    ``aliases`` map other spellings of a set value (a goal area's id) to one.
    """

    def __init__(
        self,
        leaders: Sequence[Leader],
        mentors: Sequence[Mentor],
        max_distance_km: float | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> None:
        self.leaders: tuple[Leader, ...] = tuple(leaders)
        self.mentors: tuple[Mentor, ...] = tuple(mentors)
        self.max_distance_km = max_distance_km
        self.aliases = {_norm(k): _norm(v) for k, v in (aliases or {}).items()}
        self._labels = {_norm(k): v for k, v in (aliases or {}).items()}
        self._cache: dict[str, Any] = {}

    def label(self, value: str) -> str:
        """A value as shown in a reason: an alias (goal area id) as its text."""
        return self._labels.get(_norm(value), value)

    def canonical(self, value: str) -> str:
        """A value as compared: lower case, ``_`` as space, an alias (goal area id) as its text."""
        plain = _norm(value)
        return self.aliases.get(plain, plain)

    def codes(
        self, name: str, value: Callable[[Person], str | None]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]]:
        """Leader and mentor codes of a categorical attribute (-1: unknown), and the labels.

        The same label on both sides gets the same code; ``name`` keys the cache.
        """
        key = f"codes:{name}"
        if key not in self._cache:
            import numpy as np

            labels: dict[str, int] = {}

            def encode(people: Sequence[Person]) -> npt.NDArray[np.int64]:
                found = [value(person) for person in people]
                codes = [labels.setdefault(_norm(v), len(labels)) if v else -1 for v in found]
                return np.array(codes, dtype=np.int64)

            left, right = encode(self.leaders), encode(self.mentors)
            self._cache[key] = (left, right, list(labels))
        found: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], list[str]] = self._cache[key]
        return found

    def sets(
        self,
        name: str,
        leader_value: Callable[[Leader], Sequence[str]],
        mentor_value: Callable[[Mentor], Sequence[str]],
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], list[str]]:
        """Leader and mentor membership matrices of a set attribute over a shared vocabulary."""
        key = f"sets:{name}"
        if key not in self._cache:
            import numpy as np

            vocabulary: dict[str, int] = {}
            seen: dict[str, int] = {}  # raw value -> code, so each spelling is normalised once

            def code(value: str) -> int:
                found = seen.get(value)
                if found is None:
                    found = vocabulary.setdefault(self.canonical(value), len(vocabulary))
                    seen[value] = found
                return found

            def coded(values: list[Sequence[str]]) -> tuple[list[int], list[int]]:
                rows = [i for i, items in enumerate(values) for _ in items]
                return rows, [code(v) for items in values for v in items]

            left_codes = coded([leader_value(p) for p in self.leaders])
            right_codes = coded([mentor_value(m) for m in self.mentors])
            width = max(len(vocabulary), 1)
            left = np.zeros((len(self.leaders), width), dtype=np.float32)
            right = np.zeros((len(self.mentors), width), dtype=np.float32)
            left[left_codes] = 1.0
            right[right_codes] = 1.0
            self._cache[key] = (left, right, list(vocabulary))
        found: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32], list[str]] = self._cache[key]
        return found

    def coordinates(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Leader and mentor coordinates in radians, shape (n, 2); ``NaN`` where unknown."""
        if "coordinates" not in self._cache:
            import numpy as np

            def encode(people: Sequence[Person]) -> npt.NDArray[np.float64]:
                out = np.full((len(people), 2), np.nan)
                for index, person in enumerate(people):
                    if person.location is not None:
                        out[index] = (
                            float(person.location.latitude),
                            float(person.location.longitude),
                        )
                radians: npt.NDArray[np.float64] = np.radians(out)
                return radians

            self._cache["coordinates"] = (encode(self.leaders), encode(self.mentors))
        found: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] = self._cache["coordinates"]
        return found

    def know_distances(self, leaders: Indices, mentors: Indices, km: Scores) -> None:
        """Record the distances of these pairs, already known (the engine's k-d tree finds them).

        The next :meth:`distance_km` call with these very arrays returns them.
        """
        self._cache["pair_km"] = (leaders, mentors, km)

    def distance_km(self, leaders: Indices, mentors: Indices) -> Scores:
        """Great-circle (haversine) distance of each pair in km; ``NaN``: a location unknown."""
        kept = self._cache.get("pair_km")
        if kept is not None and kept[0] is leaders and kept[1] is mentors:
            found: Scores = kept[2]
            return found
        return self._haversine(leaders, mentors)

    def _haversine(self, leaders: Indices, mentors: Indices) -> Scores:
        import numpy as np

        left, right = self.coordinates()
        lat1, lon1 = left[leaders, 0], left[leaders, 1]
        lat2, lon2 = right[mentors, 0], right[mentors, 1]
        half = (
            np.sin((lat2 - lat1) / 2.0) ** 2
            + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
        )
        result: Scores = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))
        return result

    def pair_distance_km(self, leader: int, mentor: int) -> float | None:
        """The distance of one pair in km, ``None`` where a location is unknown."""
        a, b = self.leaders[leader].location, self.mentors[mentor].location
        if a is None or b is None:
            return None
        return haversine_km(
            float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude)
        )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    half = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(half, 0.0), 1.0)))


@functools.lru_cache(maxsize=65536)
def _norm(value: str) -> str:
    return " ".join(value.strip().lower().replace("_", " ").split())


# -- the core's criteria ------------------------------------------------------


class _Same:
    """1 where a categorical attribute is the same on both sides, 0 where it differs."""

    def __init__(
        self, cohort: Cohort, name: str, words: str, value: Callable[[Person], str | None]
    ) -> None:
        self.cohort = cohort
        self.words = words
        self.value = value
        self.left, self.right, _ = cohort.codes(name, value)
        # The reason depends on the two values only: worded once per pair of values.
        self._worded: dict[tuple[str | None, str | None], str] = {}

    def scores(self, leaders: Indices, mentors: Indices) -> Scores:
        import numpy as np

        a, b = self.left[leaders], self.right[mentors]
        out: Scores = np.where((a < 0) | (b < 0), np.nan, (a == b).astype(np.float64))
        return out

    def reason(self, leader: int, mentor: int) -> str:
        key = (self.value(self.cohort.leaders[leader]), self.value(self.cohort.mentors[mentor]))
        found = self._worded.get(key)
        if found is None:
            found = self._worded[key] = self._word(*key)
        return found

    def _word(self, a: str | None, b: str | None) -> str:
        if not a or not b:
            side = "the leader's" if not a else "the mentor's"
            return f"{side} {self.words} is not known"
        if _norm(a) == _norm(b):
            return f"same {self.words} ({a})"
        return f"different {self.words} (leader {a}, mentor {b})"


class _Overlap:
    """The share of the leader's items that the mentor's items cover."""

    def __init__(
        self,
        cohort: Cohort,
        name: str,
        leader_value: Callable[[Leader], Sequence[str]],
        mentor_value: Callable[[Mentor], Sequence[str]],
        words: tuple[str, str],
    ) -> None:
        self.cohort = cohort
        self.leader_value = leader_value
        self.mentor_value = mentor_value
        self.words = words
        self.left, self.right, _ = cohort.sets(name, leader_value, mentor_value)
        self.counts = self.left.sum(axis=1)
        self._offered: dict[int, frozenset[str]] = {}
        self._worded: dict[tuple[tuple[str, ...], frozenset[str]], str] = {}
        self.bits: tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]] | None = None
        import numpy as np

        width = self.left.shape[1]
        if width <= 64 and hasattr(np, "bitwise_count"):  # NumPy 2: one word per person
            weights = np.left_shift(np.uint64(1), np.arange(width, dtype=np.uint64))
            self.bits = (
                (self.left.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64),
                (self.right.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64),
            )

    def scores(self, leaders: Indices, mentors: Indices) -> Scores:
        import numpy as np

        wanted_all = self.counts[leaders].astype(np.float64)
        if self.bits is not None:
            shared_all = np.bitwise_count(self.bits[0][leaders] & self.bits[1][mentors])
            with np.errstate(invalid="ignore", divide="ignore"):
                found: Scores = np.where(wanted_all > 0, shared_all / wanted_all, np.nan)
            return found
        out = np.full(len(leaders), np.nan)
        # Chunks bound the temporary (pairs x vocabulary) arrays on large cohorts.
        step = max(1, 4_000_000 // max(self.left.shape[1], 1))
        for start in range(0, len(leaders), step):
            li, mj = leaders[start : start + step], mentors[start : start + step]
            shared = np.einsum("ij,ij->i", self.left[li], self.right[mj], dtype=np.float64)
            wanted = self.counts[li].astype(np.float64)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[start : start + step] = np.where(wanted > 0, shared / wanted, np.nan)
        return out

    def reason(self, leader: int, mentor: int) -> str:
        wanted = tuple(self.leader_value(self.cohort.leaders[leader]))
        offered = self._offered.get(mentor)
        if offered is None:
            canonical = self.cohort.canonical
            offered = frozenset(
                canonical(v) for v in self.mentor_value(self.cohort.mentors[mentor])
            )
            self._offered[mentor] = offered
        # The reason depends on the two sets only: worded once per pair of them.
        key = (wanted, offered)
        found = self._worded.get(key)
        if found is None:
            found = self._worded[key] = self._word(list(dict.fromkeys(wanted)), offered)
        return found

    def _word(self, wanted: list[str], offered: frozenset[str]) -> str:
        canonical = self.cohort.canonical
        what, by = self.words
        if not wanted:
            return f"the leader listed no {what}"
        met = [w for w in wanted if canonical(w) in offered]
        if not met:
            return f"{by} none of the leader's {len(wanted)} {what}"
        shown = ", ".join(self.cohort.label(w) for w in met)
        return f"{by} {len(met)} of {len(wanted)} {what}: {shown}"


class _Distance:
    """Closeness of the two schools from coordinates."""

    def __init__(self, cohort: Cohort, params: Mapping[str, Param]) -> None:
        self.cohort = cohort
        scale = params.get("scale_km", cohort.max_distance_km or 100.0)
        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale <= 0:
            from mentorcore.errors import InputError

            raise InputError(
                path="matching.criteria.distance.params.scale_km",
                found=scale,
                expected="a positive number of km",
            )
        self.scale = float(scale)

    def scores(self, leaders: Indices, mentors: Indices) -> Scores:
        import numpy as np

        km = self.cohort.distance_km(leaders, mentors)
        close: Scores = 1.0 - np.minimum(km, self.scale) / self.scale
        return close

    def reason(self, leader: int, mentor: int) -> str:
        km = self.cohort.pair_distance_km(leader, mentor)
        if km is None:
            side = (
                "the leader's" if self.cohort.leaders[leader].location is None else "the mentor's"
            )
            return f"{side} location is not known"
        return f"schools {km:.0f} km apart"

    def reasons(self, leaders: Indices, mentors: Indices) -> list[str]:
        """The reasons of many pairs at once (distances computed with NumPy)."""
        km = self.cohort.distance_km(leaders, mentors).tolist()
        return [
            self.reason(i, j) if d != d else f"schools {d:.0f} km apart"
            for i, j, d in zip(leaders.tolist(), mentors.tolist(), km, strict=True)
        ]


class _Sensitive(_Same):
    def reason(self, leader: int, mentor: int) -> str:
        a = self.value(self.cohort.leaders[leader])
        b = self.value(self.cohort.mentors[mentor])
        if a and b and _norm(a) == _norm(b):
            return f"same {self.words}, as the leader asked"
        return f"different {self.words}; the leader asked for the same"


def _school(attribute: str) -> Callable[[Person], str | None]:
    def value(person: Person) -> str | None:
        if person.school is None:
            return None
        found: str | None = getattr(person.school, attribute)
        return found

    return value


def _expertise(mentor: Mentor) -> Sequence[str]:
    return mentor.expertise


def _approaches(mentor: Mentor) -> Sequence[str]:
    return mentor.approaches


def _goals(leader: Leader) -> Sequence[str]:
    return leader.goals


def _needs(leader: Leader) -> Sequence[str]:
    return leader.learning_needs


def _prepare_distance(cohort: Cohort, params: Mapping[str, Param]) -> PairScorer:
    return _Distance(cohort, params)


def _prepare_region(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Same(cohort, "region", "region", lambda p: p.region)


def _prepare_school_context(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Same(cohort, "school_context", "school context", _school("context"))


def _prepare_school_level(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Same(cohort, "school_level", "school level", _school("level"))


def _prepare_goals(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Overlap(
        cohort,
        "goals",
        _goals,
        _expertise,
        ("professional goals and needs", "expertise covers"),
    )


def _prepare_style(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Same(
        cohort, "interpersonal_style", "interpersonal style", lambda p: p.interpersonal_style
    )


def _prepare_learning(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Overlap(
        cohort, "learning_needs", _needs, _approaches, ("learning needs", "approaches meet")
    )


def _prepare_gender(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Sensitive(cohort, "gender", "gender", lambda p: p.gender)


def _prepare_race(cohort: Cohort, _params: Mapping[str, Param]) -> PairScorer:
    return _Sensitive(cohort, "race", "race", lambda p: p.race)


#: The core's generic criteria: id, description, sensitive. Programs weigh them by these ids.
BUILTIN_CRITERIA: tuple[tuple[str, str, bool], ...] = (
    ("distance", "closeness of the two schools, from coordinates (haversine)", False),
    ("region", "the leader and the mentor work in the same region", False),
    ("school_context", "the same school and community context (urban, suburban, rural)", False),
    ("school_level", "the same school level (elementary, middle, high)", False),
    (
        "goals",
        "overlap of the leader's professional goals and needs with the mentor's expertise",
        False,
    ),
    ("interpersonal_style", "compatible interpersonal styles", False),
    ("learning_needs", "the mentor's approaches meet the leader's learning needs", False),
    ("gender", "same gender, only where the leader asked for it", True),
    ("race", "same race, only where the leader asked for it", True),
)

#: The weights used when a program's match settings list no criteria: every
#: core criterion at 1, except that geography's 1 is split between
#: ``distance`` and ``region``.
DEFAULT_WEIGHTS: dict[str, float] = {
    "distance": 0.5,
    "region": 0.5,
    "school_context": 1.0,
    "school_level": 1.0,
    "goals": 1.0,
    "interpersonal_style": 1.0,
    "learning_needs": 1.0,
    "gender": 1.0,
    "race": 1.0,
}

_PREPARE: dict[str, Callable[[Cohort, Mapping[str, Param]], PairScorer]] = {
    "distance": _prepare_distance,
    "region": _prepare_region,
    "school_context": _prepare_school_context,
    "school_level": _prepare_school_level,
    "goals": _prepare_goals,
    "interpersonal_style": _prepare_style,
    "learning_needs": _prepare_learning,
    "gender": _prepare_gender,
    "race": _prepare_race,
}


def _both(name: str) -> tuple[str, ...]:
    return (f"leader.{name}", f"mentor.{name}")


#: The people's attributes each core criterion reads.
_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "distance": _both("location"),
    "region": _both("region"),
    "school_context": _both("school.context"),
    "school_level": _both("school.level"),
    "goals": ("leader.goals", "mentor.expertise"),
    "interpersonal_style": _both("interpersonal_style"),
    "learning_needs": ("leader.learning_needs", "mentor.approaches"),
    "gender": (*_both("gender"), "leader.prefer_same"),
    "race": (*_both("race"), "leader.prefer_same"),
}


def builtin_criteria() -> tuple[Criterion, ...]:
    """The core's generic criteria, registered through the ``register_criteria`` hook."""
    return tuple(
        Criterion(
            id=ident,
            description=words,
            prepare=_PREPARE[ident],
            sensitive=sensitive,
            attributes=_ATTRIBUTES[ident],
        )
        for ident, words, sensitive in BUILTIN_CRITERIA
    )


# -- a per-pair criterion for plug-ins -----------------------------------------

PairFunction = Callable[[Leader, Mentor, Mapping[str, Param]], "tuple[float, str] | None"]


class _PerPair:
    def __init__(
        self, cohort: Cohort, params: Mapping[str, Param], function: PairFunction, ident: str
    ) -> None:
        self.cohort = cohort
        self.params = params
        self.function = function
        self.ident = ident

    def _call(self, leader: int, mentor: int) -> tuple[float, str] | None:
        found = self.function(self.cohort.leaders[leader], self.cohort.mentors[mentor], self.params)
        if found is None:
            return None
        score, reason = found
        if not 0.0 <= score <= 1.0:
            from mentorcore.errors import RuleError

            raise RuleError(f"criterion {self.ident!r} scored {score!r}, outside [0, 1]")
        return float(score), reason

    def scores(self, leaders: Indices, mentors: Indices) -> Scores:
        import numpy as np

        out = np.full(len(leaders), np.nan)
        for k, (i, j) in enumerate(zip(leaders.tolist(), mentors.tolist(), strict=True)):
            found = self._call(i, j)
            if found is not None:
                out[k] = found[0]
        return out

    def reason(self, leader: int, mentor: int) -> str:
        found = self._call(leader, mentor)
        return "does not apply" if found is None else found[1]


def pair_criterion(
    ident: str,
    description: str,
    function: PairFunction,
    *,
    sensitive: bool = False,
    attributes: tuple[str, ...] = (),
) -> Criterion:
    """A criterion from a per-pair function ``function(leader, mentor, params)``.

    The function returns ``(score in [0, 1], reason)`` or ``None`` where it
    does not apply. Simple to write, but called once per candidate pair:
    prefer a vectorised :class:`PairScorer` for cohorts of thousands.
    """

    def prepare(cohort: Cohort, params: Mapping[str, Param]) -> PairScorer:
        return _PerPair(cohort, params, function, ident)

    return Criterion(
        id=ident,
        description=description,
        prepare=prepare,
        sensitive=sensitive,
        attributes=attributes,
    )
