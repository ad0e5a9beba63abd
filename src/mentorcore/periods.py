"""Dated periods and school years.

A :class:`SchoolYear` runs from 1 July to 30 June in most US states; the start
month and day are a documented default that a caller can change. Rules that
change over time are dated by school year or by plain date
(:class:`Period`).
"""

from __future__ import annotations

import datetime as dt
import re

from attrs import field, frozen

from mentorcore.errors import Described, InputError

__all__ = ["SCHOOL_YEAR_START", "Period", "SchoolYear"]

#: The default first day of a school year, as (month, day): 1 July, as in
#: most US states. A default, not any organization's rule.
SCHOOL_YEAR_START: tuple[int, int] = (7, 1)

_LABEL = re.compile(r"^(\d{4})-(\d{4})$")


@frozen
class Period:
    """A closed range of dates, ``start`` to ``end`` inclusive; ``end=None`` is open-ended."""

    start: dt.date
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise InputError(
                found=Described(f"end {self.end} before start {self.start}"),
                expected="an end on or after the start",
            )

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return self.start <= day and (self.end is None or day <= self.end)

    def __str__(self) -> str:
        return f"{self.start} to {self.end}" if self.end else f"from {self.start}"


@frozen(order=True)
class SchoolYear:
    """The school year that starts in July of ``start_year``: 2022 is 2022-2023.

    >>> SchoolYear.containing(dt.date(2023, 6, 30)).label
    '2022-2023'
    >>> SchoolYear.parse("2023-2024").start
    datetime.date(2023, 7, 1)
    """

    start_year: int = field()
    start_month: int = field(default=SCHOOL_YEAR_START[0], eq=False, order=False)
    start_day: int = field(default=SCHOOL_YEAR_START[1], eq=False, order=False)

    @staticmethod
    def start_year_of(day: dt.date, start: tuple[int, int] = SCHOOL_YEAR_START) -> int:
        """The calendar year in which the school year containing ``day`` starts.

        >>> SchoolYear.start_year_of(dt.date(2023, 6, 30))
        2022
        """
        return day.year if (day.month, day.day) >= start else day.year - 1

    @classmethod
    def containing(cls, day: dt.date, start: tuple[int, int] = SCHOOL_YEAR_START) -> SchoolYear:
        """The school year that ``day`` falls in."""
        return cls(cls.start_year_of(day, start), *start)

    @classmethod
    def parse(cls, label: str, start: tuple[int, int] = SCHOOL_YEAR_START) -> SchoolYear:
        """Read a label such as ``"2022-2023"``; the second year must follow the first."""
        match = _LABEL.match(label.strip()) if isinstance(label, str) else None
        if not match or int(match.group(2)) != int(match.group(1)) + 1:
            raise InputError(found=label, expected="a school year such as '2022-2023'")
        return cls(int(match.group(1)), *start)

    @property
    def start(self) -> dt.date:
        """The first day of the school year."""
        return dt.date(self.start_year, self.start_month, self.start_day)

    @property
    def end(self) -> dt.date:
        """The last day of the school year."""
        return dt.date(self.start_year + 1, self.start_month, self.start_day) - dt.timedelta(days=1)

    @property
    def period(self) -> Period:
        """The school year as a :class:`Period`."""
        return Period(self.start, self.end)

    @property
    def label(self) -> str:
        """The usual label, ``"2022-2023"``."""
        return f"{self.start_year}-{self.start_year + 1}"

    def __str__(self) -> str:
        return self.label
