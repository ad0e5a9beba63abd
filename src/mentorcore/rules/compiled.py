"""The one evaluator: rules and pricing compiled once per program and date.

Every decision and every quote is made here, whether for one person
(:meth:`Registry.decide <mentorcore.registry.Registry.decide>`,
:func:`~mentorcore.rules.eligibility.decide`,
:func:`~mentorcore.rules.pricing.price`) or for millions
(:mod:`mentorcore.bulk`); :func:`~mentorcore.rules.conditions.evaluate`
runs a condition through it too. Nothing else evaluates a condition, picks
an outcome, prices a package or words an explanation.

:func:`compile_rule` turns an eligibility rule into closures for one date,
and keeps the result (bounded) so that the next decision on that date reuses
it; :func:`compile_pricing` does the same for a program's pricing:

* a comparison with a dated parameter is looked up once (the value is the
  same for everyone on that date) and its :class:`Check` is built once;
* a comparison with a fact keeps the :class:`Check` it built for each value
  seen (a value of a plain, hashable type), so a thousand people in the same
  role share one ``Check``; the comparison itself runs once per value;
* the explanation of a decision is worded once per distinct trace of
  checks and reused for every person whose checks are the same.

Conditions are three-valued (see :mod:`mentorcore.rules.conditions`): a fact
that is ``None`` or :class:`~mentorcore.rules.facts.Unknown`, or a parameter
with no value in force, gives an unknown check (``passed is None``). An
outcome whose condition is unknown is passed over and listed in the
decision's ``possible``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from mentorcore.errors import Described, InputError, NoValueInForce, RuleError
from mentorcore.people import Person
from mentorcore.periods import SchoolYear
from mentorcore.provenance import Default, defaults_of, marked, said_once, unique_defaults
from mentorcore.rules.conditions import (
    OPERATORS,
    AllOf,
    AnyOf,
    Check,
    Compare,
    Condition,
    Not,
    Truth,
    all_of,
    any_of,
    leaves,
    not_of,
)
from mentorcore.rules.eligibility import Decision, EligibilityRule, Outcome, RuleContext
from mentorcore.rules.facts import Fact, FactSheet, Unknown, fact_failed, fact_unusable
from mentorcore.rules.parameters import DatedValue
from mentorcore.rules.pricing import FREE, Package, Pricing, Quote

__all__ = [
    "CACHE_LIMIT",
    "COMPILED_LIMIT",
    "CompiledCondition",
    "CompiledPricing",
    "CompiledRule",
    "Facts",
    "PersonFacts",
    "compile_condition",
    "compile_pricing",
    "compile_rule",
    "evaluate_once",
    "explain",
]


# Checks are shared between people whose fact has an equal value of the same
# type, for types whose equal values always print the same. (Decimal and
# float are left out: Decimal("1.0") == Decimal("1") and 0.0 == -0.0, yet
# they print differently; a tuple only when it holds text.)
_INTERNED_TYPES = (str, bool, int, type(None), dt.date, Unknown)

#: Bound on the checks kept per comparison and on the explanations kept per
#: rule, so that a fact with a value per person (a start date) cannot grow
#: memory without limit; beyond it, checks are simply built afresh.
CACHE_LIMIT = 4096

#: Bound on the compiled rules and pricings kept (per rule, context and date).
COMPILED_LIMIT = 256

#: The facts of one person on one date.
PersonFacts = FactSheet

#: What a compiled condition reads a person's facts from.
Facts = PersonFacts

#: A compiled condition: appends one :class:`Check` per comparison to the
#: list it is given, in order (no short-circuit, so that an explanation can
#: name every check), and returns whether it holds (``None``: unknown).
CompiledCondition = Callable[[Facts, list[Check]], Truth]

#: Looks up the entry of a dated parameter in force on a date.
EntryLookup = Callable[[str, dt.date], DatedValue]

Leaf = Callable[[Facts], Check]

_MISSING: Any = object()
_CENTS = Decimal("0.01")


# -- comparisons ----------------------------------------------------------------


def _condition_defaults(leaf: Compare) -> tuple[Default, ...]:
    return defaults_of(leaf.source, f"reading: {leaf.says or leaf.subject}")


def _fact_leaf(leaf: Compare, facts_known: Mapping[str, Fact]) -> Leaf:
    function = OPERATORS[leaf.op][0]
    expected = leaf.value
    fact_id = leaf.subject
    expectation = leaf.expectation()
    says = leaf.says
    fact = facts_known.get(fact_id)
    compute = fact.function if fact is not None else None
    defaults = _condition_defaults(leaf) + (
        defaults_of(fact.source, f"fact {fact_id!r} ({fact.description})") if fact else ()
    )
    get = dict.get
    # type -> value -> the check built for it
    seen: dict[type, dict[Any, Check]] = {kind: {} for kind in (*_INTERNED_TYPES, tuple)}

    def build(value: Any) -> Check:
        if value is None or type(value) is Unknown:
            why = f"{fact_id} is unknown"
            if value is not None and value.reason:
                why = f"{why}: {value.reason}"
            head = f"{says}: not known" if says else f"not known whether {fact_id} {expectation}"
            return Check(
                fact=fact_id,
                value=None,
                expectation=expectation,
                passed=None,
                says=says,
                note=f"{head} ({why})",
                defaults=defaults,
            )
        return Check(
            fact=fact_id,
            value=value,
            expectation=expectation,
            passed=function(value, expected),
            says=says,
            defaults=defaults,
        )

    def check(facts: Facts) -> Check:
        value = get(facts, fact_id, _MISSING)
        if value is _MISSING:
            if compute is None:
                value = facts[fact_id]  # an unknown fact: FactSheet raises, naming the known ones
            else:
                # FactSheet.__missing__ inlined: this runs for every person
                try:
                    value = compute(facts.person, facts.on)
                except Exception as exc:
                    raise fact_failed(fact_id, facts.person.id, facts.on, exc) from exc
                facts[fact_id] = value
        kind = type(value)
        table = seen.get(kind)
        if table is not None and (kind is not tuple or all(type(v) is str for v in value)):
            found = table.get(value)
            if found is not None:
                return found
        else:
            table = None
        try:
            made = build(value)
        except RuleError as exc:  # a value the comparison cannot use
            raise fact_unusable(fact_id, compute, facts.person.id, facts.on, exc) from exc
        if table is not None and len(table) < CACHE_LIMIT:
            table[value] = made
        return made

    return check


def _parameter_leaf(leaf: Compare, entry_on: EntryLookup, on: dt.date) -> Leaf:
    function = OPERATORS[leaf.op][0]
    defaults = _condition_defaults(leaf)
    try:
        entry = entry_on(leaf.subject, on)
        made = Check(
            fact=leaf.subject,
            value=entry.value,
            expectation=leaf.expectation(),
            passed=function(entry.value, leaf.value),
            says=leaf.says,
            defaults=defaults
            + defaults_of(entry.source, f"parameter {leaf.subject!r} from {entry.start}"),
        )
    except NoValueInForce as missing:
        if leaf.unknown:
            label = SchoolYear.containing(on).label
            note = leaf.unknown.replace("{school_year}", label).replace("{date}", on.isoformat())
        else:
            note = f"{leaf.says}: not known" if leaf.says else f"{leaf.subject} is not known"
        made = Check(
            fact=leaf.subject,
            value=None,
            expectation=leaf.expectation(),
            passed=None,
            says=leaf.says,
            note=f"{note} ({missing})",
            defaults=defaults,
        )
    except RuleError as error:
        return _raising(error)

    def check(_facts: Facts) -> Check:
        return made

    return check


def _parameter_on_fact_leaf(leaf: Compare, entry_on: EntryLookup) -> Leaf:
    """A parameter looked up on the date a fact gives (``on_fact``), per person.

    The check for each date is built once (by :func:`_parameter_leaf`, as
    for a decision dated that day) and shared by everyone with that date.
    """
    date_fact = leaf.on_fact or ""
    by_date: dict[dt.date, Check] = {}
    unknown_date: dict[str, Check] = {}

    def check(facts: Facts) -> Check:
        day = facts[date_fact]
        if not isinstance(day, dt.date):
            why = f"{date_fact} is unknown"
            if isinstance(day, Unknown) and day.reason:
                why = f"{why}: {day.reason}"
            made = unknown_date.get(why)
            if made is None:
                head = f"{leaf.says}: not known" if leaf.says else f"{leaf.subject} is not known"
                made = Check(
                    fact=leaf.subject,
                    value=None,
                    expectation=leaf.expectation(),
                    passed=None,
                    says=leaf.says,
                    note=f"{head} ({why})",
                    defaults=_condition_defaults(leaf),
                )
                unknown_date[why] = made
            return made
        found = by_date.get(day)
        if found is None:
            found = _parameter_leaf(leaf, entry_on, day)(facts)
            if len(by_date) < CACHE_LIMIT:
                by_date[day] = found
        return found

    return check


def _raising(error: RuleError) -> Leaf:
    """A comparison whose evaluation fails: fail the same way each time it is reached."""

    def check(_facts: Facts) -> Check:
        raise RuleError(str(error)) from error

    return check


def _truth(condition: Condition, passed: Iterator[Truth]) -> Truth:
    """Whether ``condition`` holds, given its comparisons' results in order (all consumed)."""
    if isinstance(condition, AllOf):
        return all_of([_truth(c, passed) for c in condition.conditions])
    if isinstance(condition, AnyOf):
        return any_of([_truth(c, passed) for c in condition.conditions])
    if isinstance(condition, Not):
        return not_of(_truth(condition.condition, passed))
    return next(passed)


TruthFunction = Callable[[list[Truth]], Truth]


def _truth_function(condition: Condition) -> TruthFunction:
    """``condition``'s truth as a function of its comparisons' results, in order."""
    counter = iter(range(sum(1 for _ in leaves(condition))))

    def build(node: Condition) -> TruthFunction:
        if isinstance(node, Compare):
            index = next(counter)
            return lambda passed: passed[index]
        if isinstance(node, Not):
            inner = build(node.condition)
            return lambda passed: not_of(inner(passed))
        combine = all_of if isinstance(node, AllOf) else any_of
        if all(isinstance(child, Compare) for child in node.conditions):
            first = next(counter)
            for _ in node.conditions[1:]:
                next(counter)
            stop = first + len(node.conditions)
            return lambda passed: combine(passed[first:stop])
        parts = [build(child) for child in node.conditions]
        return lambda passed: combine([part(passed) for part in parts])

    return build(condition)


def _entries(context: RuleContext) -> EntryLookup:
    return context.parameter_entry


def _compile(
    condition: Condition, facts_known: Mapping[str, Fact], entry_on: EntryLookup, on: dt.date
) -> CompiledCondition:
    compiled = tuple(
        _fact_leaf(leaf, facts_known)
        if leaf.fact is not None
        else _parameter_on_fact_leaf(leaf, entry_on)
        if leaf.on_fact is not None
        else _parameter_leaf(leaf, entry_on, on)
        for leaf in leaves(condition)
    )
    if isinstance(condition, Compare):
        (single,) = compiled

        def run_one(facts: Facts, out: list[Check]) -> Truth:
            made = single(facts)
            out.append(made)
            return made.passed

        return run_one

    truth = _truth_function(condition)

    def run(facts: Facts, out: list[Check]) -> Truth:
        checks = [leaf(facts) for leaf in compiled]
        out.extend(checks)
        return truth([c.passed for c in checks])

    return run


def compile_condition(condition: Condition, context: RuleContext, on: dt.date) -> CompiledCondition:
    """Compile ``condition`` for the date ``on`` into a closure.

    The closure takes a person's :data:`Facts` and a list, appends a
    :class:`Check` per comparison (every comparison, in order), and returns
    ``True``, ``False`` or ``None`` (unknown) by Kleene's three-valued logic.
    """
    return _compile(condition, context.facts, _entries(context), on)


class _Lookup(dict[str, Any]):
    """Facts read through a lookup function, each once (for :func:`evaluate_once`)."""

    __slots__ = ("lookup",)

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        super().__init__()
        self.lookup = lookup

    def __missing__(self, key: str) -> Any:
        value = self.lookup(key)
        self[key] = value
        return value


def evaluate_once(
    condition: Condition,
    facts: Callable[[str], Any] | Mapping[str, Any],
    on: dt.date,
    parameters: Callable[[str, dt.date], Any] | None = None,
) -> tuple[Truth, list[Check]]:
    """Compile ``condition`` and run it once over ``facts``: what
    :func:`~mentorcore.rules.conditions.evaluate` does."""
    lookup = facts.__getitem__ if isinstance(facts, Mapping) else facts

    def entry_on(parameter: str, day: dt.date) -> DatedValue:
        if parameters is None:
            raise RuleError(f"no parameters given to look up {parameter!r}")
        return DatedValue(start=day, value=parameters(parameter, day))

    run = _compile(condition, {}, entry_on, on)
    checks: list[Check] = []
    held = run(_Lookup(lookup), checks)  # type: ignore[arg-type]
    return held, checks


# -- wording ------------------------------------------------------------------


def _lower_first(title: str) -> str:
    """``Free mentoring`` → ``free mentoring``; an acronym (``ACSA/NTC …``) is kept."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def _sentences(checks: Iterable[Check]) -> str:
    return "; ".join(c.sentence() for c in checks)


def _outcome_defaults(outcome: Outcome, rule: EligibilityRule) -> tuple[Default, ...]:
    return defaults_of(outcome.source, f"outcome {outcome.id!r} ({outcome.title}) of {rule.id!r}")


def _leaf_count(condition: Condition | None) -> int:
    return 0 if condition is None else sum(1 for _ in leaves(condition))


def _named(
    rule: EligibilityRule,
    reached: int,
    trace: tuple[Check, ...],
    counts: tuple[int, ...] | None = None,
) -> tuple[list[tuple[Outcome, Truth, tuple[Check, ...]]], tuple[Check, ...]]:
    """Each earlier outcome with its truth and the checks its explanation names
    (failed ones when it is false, unknown ones when it is unknown), and the
    checks of the outcome reached."""
    position = 0
    earlier: list[tuple[Outcome, Truth, tuple[Check, ...]]] = []
    for number, outcome in enumerate(rule.outcomes[:reached]):
        assert outcome.when is not None
        count = counts[number] if counts is not None else _leaf_count(outcome.when)
        checks = trace[position : position + count]
        position += count
        truth = _truth(outcome.when, (c.passed for c in checks))
        if truth is None:
            named = tuple(c for c in checks if c.passed is None)
        else:
            named = tuple(c for c in checks if c.passed is False) or checks
        earlier.append((outcome, truth, named))
    return earlier, trace[position:]


def explain(
    rule: EligibilityRule, reached: int, trace: tuple[Check, ...]
) -> tuple[str, tuple[str, ...], tuple[Default, ...]]:
    """The explanation of reaching outcome ``reached`` with ``trace``, the outcomes
    still possible, and the defaults the decision rests on.

    The outcome reached and what made it apply come first; then, in order,
    each earlier outcome: why it did not apply (its failed checks), or that
    it is possible but not known (its unknown checks). An outcome with no
    condition reached after the only one ruled out is worded once ("Not
    qualified …, because: …"), never twice.
    """
    earlier, own = _named(rule, reached, trace)
    outcome = rule.outcomes[reached]
    own_defaults = _outcome_defaults(outcome, rule)
    title = marked(outcome.title, own_defaults)
    named: list[tuple[Check, ...]] = [own]
    possible = tuple(o.id for o, truth, _ in earlier if truth is None)
    parts: list[str] = []
    head = ""
    for other, truth, checks in earlier:
        if truth is None:
            named.append(checks)
            said = other.unknown or f"{other.title} is possible but not known"
            parts.append(f"{said}: {_sentences(checks)}.")
            continue
        failed = checks
        named.append(failed)
        negated = f"Not {_lower_first(other.title)}"
        if outcome.when is None and not head and negated.casefold() == outcome.title.casefold():
            # "Not qualified to mentor for IPA. Not qualified to mentor for IPA,
            # because …" would say one thing twice: say it once.
            head = f"{title}, because: {_sentences(failed)}."
            continue
        parts.append(f"{negated}, because: {_sentences(failed)}.")
    if outcome.when is not None:
        reasons = _sentences(own)
        head = f"{title}, because: {reasons}." if reasons else f"{title}."
    if head:
        parts.insert(0, head)
    elif possible:
        # Only the unknowns kept an earlier outcome from applying: say so first.
        parts.append(f"Until that is known: {_lower_first(title)}.")
    else:
        parts.insert(0, f"{title}.")
    defaults = unique_defaults([own_defaults, *(c.defaults for group in named for c in group)])
    return said_once(" ".join(parts), defaults), possible, defaults


# -- rules ----------------------------------------------------------------------


class CompiledRule:
    """An eligibility rule compiled for one program, context and date.

    :meth:`decide` returns the :class:`Decision` for a person. Get one with
    :func:`compile_rule`, which keeps it for the next decision on that date.
    """

    __slots__ = (
        "_counts",
        "_explained",
        "_outcomes",
        "_worded",
        "context",
        "on",
        "program",
        "rule",
    )

    def __init__(
        self, rule: EligibilityRule, context: RuleContext, on: dt.date, program: str = ""
    ) -> None:
        self.rule = rule
        self.context = context
        self.on = on
        self.program = program
        self._outcomes = tuple(
            (o, None if o.when is None else compile_condition(o.when, context, on))
            for o in rule.outcomes
        )
        # (outcome index, ids of the checks) -> (checks, explanation, possible,
        # defaults); the tuple of checks is kept alive with the entry, so an
        # id in a key always denotes the very object stored beside it.
        self._explained: dict[
            tuple[int, ...],
            tuple[tuple[Check, ...], str, tuple[str, ...], tuple[Default, ...]],
        ] = {}
        self._counts = tuple(_leaf_count(o.when) for o in rule.outcomes)
        # A trace not seen yet is often worded like one seen (the checks it
        # names are the same: only a passed check of an outcome ruled out
        # differs): (outcome index, truths, ids of the checks named) ->
        # (the checks named, kept alive; explanation; possible; defaults).
        self._worded: dict[
            tuple[Any, ...],
            tuple[tuple[Check, ...], str, tuple[str, ...], tuple[Default, ...]],
        ] = {}

    def sheet(self, person: Person) -> PersonFacts:
        """A fresh sheet of the person's facts on the rule's date."""
        return PersonFacts(person, self.on, self.context.facts)

    def _word(
        self, index: int, checks: tuple[Check, ...]
    ) -> tuple[str, tuple[str, ...], tuple[Default, ...]]:
        """The explanation, possible outcomes and defaults of a trace, worded once
        per distinct set of the checks it names."""
        earlier, own = _named(self.rule, index, checks, self._counts)
        named = tuple(c for _, _, group in earlier for c in group) + own
        key = (index, *(truth for _, truth, _ in earlier), *(len(g) for _, _, g in earlier))
        key = (*key, *map(id, named))
        found = self._worded.get(key)
        if found is None:
            found = (named, *explain(self.rule, index, checks))
            if len(self._worded) < CACHE_LIMIT:
                self._worded[key] = found
        return found[1], found[2], found[3]

    def decide(self, person: Person, sheet: Facts | None = None) -> Decision:
        """The decision for ``person``; ``sheet`` shares computed facts with other rules."""
        facts = sheet if sheet is not None else PersonFacts(person, self.on, self.context.facts)
        trace: list[Check] = []
        index = 0
        for index, (_outcome, condition) in enumerate(self._outcomes):  # noqa: B007 - read below
            if condition is None or condition(facts, trace) is True:
                break
        key = (index, *map(id, trace))
        entry = self._explained.get(key)
        if entry is None:
            checks = tuple(trace)
            entry = (checks, *self._word(index, checks))
            if len(self._explained) < CACHE_LIMIT:
                self._explained[key] = entry
        outcome = self._outcomes[index][0]
        return Decision(
            program=self.program,
            rule=self.rule.id,
            person=person.id,
            on=self.on,
            outcome=outcome.id,
            title=outcome.title,
            eligible=outcome.eligible,
            checks=entry[0],
            explanation=entry[1],
            possible=entry[2],
            defaults=entry[3],
        )


_RULES: dict[tuple[Any, ...], CompiledRule] = {}


def _context_key(context: RuleContext) -> tuple[int, ...]:
    return (id(context.facts), *map(id, context.parameters.values()))


def compile_rule(
    rule: EligibilityRule, context: RuleContext, on: dt.date, program: str = ""
) -> CompiledRule:
    """``rule`` compiled for ``on``, compiled once and kept for the next call alike.

    The key is the rule, the facts and parameters of ``context`` (by
    identity: a registry's are fixed once loaded) and the date; the entry
    keeps them alive, so an identity in a key always denotes them. At most
    :data:`COMPILED_LIMIT` are kept.
    """
    key = (id(rule), *_context_key(context), on, program)
    found = _RULES.get(key)
    if found is not None and found.rule is rule and found.context.facts is context.facts:
        return found
    made = CompiledRule(rule, context, on, program)
    if len(_RULES) >= COMPILED_LIMIT:
        _RULES.clear()
    _RULES[key] = made
    return made


# -- pricing --------------------------------------------------------------------


class CompiledPricing:
    """A program's pricing compiled for one date: the schedule and the bases' conditions.

    Get one with :func:`compile_pricing`. :meth:`quote` prices a package for a
    person given their decision (from the pricing's eligibility rule).
    """

    __slots__ = (
        "_worded",
        "bases",
        "context",
        "currency",
        "on",
        "pricing",
        "program",
        "schedule",
        "schedule_defaults",
    )

    def __init__(
        self, pricing: Pricing, context: RuleContext, on: dt.date, program: str = ""
    ) -> None:
        self.pricing = pricing
        self.context = context
        self.on = on
        self.program = program
        self.schedule = pricing.table.schedule_on(on)  # NoValueInForce: no prices on the date
        self.schedule_defaults = defaults_of(
            self.schedule.source,
            f"price schedule of {pricing.table.id!r} from {self.schedule.start}",
        )
        self.currency = pricing.table.currency
        self.bases: tuple[CompiledCondition | None, ...] = tuple(
            None if b.when is None else compile_condition(b.when, context, on)
            for b in pricing.bases
        )
        # (hours, basis index or -1 for free, id of the decision's explanation,
        # ids of the basis checks) -> (the explanation and checks, kept alive;
        # basis; amount; explanation; provisional reason; defaults)
        self._worded: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def package(self, hours: int) -> Package:
        """The package of ``hours``; :class:`InputError` listing the packages offered."""
        package = self.schedule.package(hours)
        if package is None:
            offered = ", ".join(str(p.hours) for p in self.schedule.packages)
            raise InputError(
                found=Described(f"{hours} hours"),
                expected=f"one of the packages offered on {self.on}: {offered} hours",
            )
        return package

    def sheet(self, person: Person) -> PersonFacts:
        """A fresh sheet of the person's facts on the pricing's date."""
        return PersonFacts(person, self.on, self.context.facts)

    def quote(
        self, person: Person, decision: Decision, hours: int, sheet: Facts | None = None
    ) -> Quote:
        """Quote ``hours`` for ``person`` given their ``decision``.

        :class:`InputError` for hours that are no package;
        :class:`~mentorcore.errors.RuleError` for an outcome the pricing
        refuses, with the decision's explanation.
        """
        package = self.package(hours)
        pricing = self.pricing
        if decision.outcome in pricing.refuse_outcomes:
            raise RuleError(f"{person.id}: no quote: {decision.explanation}")
        checks: list[Check] = []
        unknown: list[int] = []
        chosen = -1
        if decision.outcome not in pricing.free_outcomes:
            facts = sheet if sheet is not None else self.sheet(person)
            for chosen, condition in enumerate(self.bases):
                checks.clear()
                if condition is None:
                    break
                held = condition(facts, checks)
                if held is True:
                    break
                if held is None:
                    unknown.append(chosen)
        key = (hours, chosen, id(decision.explanation), *unknown, *map(id, checks))
        entry = self._worded.get(key)
        if entry is None:
            entry = (
                decision.explanation,
                tuple(checks),
                *self._word(package, decision, chosen, unknown, tuple(checks)),
            )
            if len(self._worded) < CACHE_LIMIT:
                self._worded[key] = entry
        _, _, basis, amount, explanation, reason, defaults = entry
        return Quote(
            program=decision.program,
            person=person.id,
            on=self.on,
            hours=hours,
            amount=amount,
            currency=self.currency,
            basis=basis,
            decision=decision,
            explanation=explanation,
            source=self.schedule.source,
            provisional=bool(reason),
            provisional_reason=reason,
            defaults=defaults,
        )

    def _word(
        self,
        package: Package,
        decision: Decision,
        chosen: int,
        unknown: list[int],
        checks: tuple[Check, ...],
    ) -> tuple[str, Decimal, str, str, tuple[Default, ...]]:
        """Basis, amount, explanation, provisional reason and defaults of a quote."""
        hours = package.hours
        bases = self.pricing.bases
        if chosen == -1:
            basis, amount = FREE, Decimal("0.00")
            text = f"{hours} hours free: {decision.explanation}"
        else:
            found = bases[chosen]
            if found.id not in package.prices:
                raise RuleError(f"package of {hours} hours has no {found.id!r} price on {self.on}")
            basis, amount = found.id, package.prices[found.id].quantize(_CENTS)
            why = _sentences(checks)
            reason = f" ({why})" if why else ""
            text = (
                f"{hours} hours at the {found.title} price, {amount} "
                f"{self.currency}{reason}. {decision.explanation}"
            )
        provisional = []
        if decision.possible:
            listed = ", ".join(repr(p) for p in decision.possible)
            provisional.append(
                f"the decision may change once unknown values are known ({listed} possible)"
            )
        if unknown:
            listed = ", ".join(repr(bases[i].id) for i in unknown)
            provisional.append(
                f"the price basis may change once unknown values are known ({listed} possible)"
            )
        reason = "; ".join(provisional)
        if reason:
            text = f"Provisional: {reason}. {text}"
        text = marked(text, self.schedule_defaults)
        defaults = unique_defaults(
            [decision.defaults, *(c.defaults for c in checks), self.schedule_defaults]
        )
        return basis, amount, text, reason, defaults


_PRICINGS: dict[tuple[Any, ...], CompiledPricing] = {}


def compile_pricing(
    pricing: Pricing, context: RuleContext, on: dt.date, program: str = ""
) -> CompiledPricing:
    """``pricing`` compiled for ``on``, compiled once and kept as :func:`compile_rule` keeps rules.

    :class:`~mentorcore.errors.NoValueInForce` when no price schedule is in
    force on ``on``.
    """
    key = (id(pricing), *_context_key(context), on, program)
    found = _PRICINGS.get(key)
    if found is not None and found.pricing is pricing and found.context.facts is context.facts:
        return found
    made = CompiledPricing(pricing, context, on, program)
    if len(_PRICINGS) >= COMPILED_LIMIT:
        _PRICINGS.clear()
    _PRICINGS[key] = made
    return made
