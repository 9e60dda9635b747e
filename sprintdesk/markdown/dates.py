"""The dates people write in sprint posts, in every language of the vocabulary files: month
names and abbreviations, "Oct 18 to Oct 29", "29 Nov - 10 Dec", "1/22 - 2/2", "3 de marzo",
"del 3 al 14 de marzo", and the ranges of time off ("April 3-4", "21st to 25th"). A year left
out is read against a base date (the sprint's start, or the day the post was written).
"""

from __future__ import annotations

import re
from datetime import date

from sprintdesk.markdown.render import MONTHS
from sprintdesk.markdown.vocabulary import alternation, vocabulary

_V = vocabulary()
# A month: any language's name or abbreviation from the vocabulary files, or an English one
# by its first three letters ("Sept", "Febuary" as written).
_MONTH_WORDS = alternation(_V.month_names()).replace("|", "(?![a-z])|") + "(?![a-z])"
_MONTH = (
    r"(?P<{0}>(?i:"
    + _MONTH_WORDS.replace("{", "{{").replace("}", "}}")
    + r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*))\.?"
)
_DATE = _MONTH.format("m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{4}))?"
_DATE2 = _MONTH.format("m2") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{4}))?"
_TITLE_DATES = re.compile(
    r"^(?P<name>.*?)\s*(?:[-–—:,(]\s*)?(?:from\s+)?"
    + _DATE
    + r"(?:\s*(?:to|until|till|-|–|—)\s*"
    + _DATE2
    + r")?\s*\)?\s*$",
    re.IGNORECASE,
)
_MONTH_NAME = _MONTH.replace("(?P<{0}>", "(?:").replace("{{", "{").replace("}}", "}")
_DAY_FIRST = re.compile(
    r"^(?P<name>.*?)\s*(?:[-–—:,(]\s*)?(?P<d1>\d{1,2})\s+(?P<m1>"
    + _MONTH_NAME
    + r")\s*(?:to|until|-|–|—)\s*(?P<d2>\d{1,2})\s+(?P<m2>"
    + _MONTH_NAME
    + r")\s*\)?\s*$",
    re.IGNORECASE,
)
# A date written day first with small words between ("3 de marzo", "del 3 al 14 de marzo",
# "del 28 de febrero al 10 de marzo de 2026"): the words come from the vocabulary files
# (date_words); with no language defining them, there is no such pattern.
_FROM, _TO, _OF = (alternation(_V.date_words.get(key, [])) for key in ("from", "to", "of"))
_OF_DATE = (
    (
        r"(?:\b(?:" + _FROM + r")\s+)?(?P<d1>\d{1,2})"
        r"(?:\s+(?:"
        + _OF
        + r")\s+"
        + _MONTH.format("m1")
        + r"(?:\s+(?:"
        + _OF
        + r")\s+(?P<y1>\d{4}))?)?"
        r"(?:\s*(?:" + _TO + r"|-|–)\s*(?P<d2>\d{1,2}))?"
        r"\s+(?:"
        + _OF
        + r")\s+"
        + _MONTH.format("m2")
        + r"(?:\s+(?:"
        + _OF
        + r")\s+(?P<y2>\d{4}))?"
    )
    if _OF
    else None
)
_OF_TITLE = (
    re.compile(r"^(?P<name>.*?)\s*(?:[-–—:,(]\s*)?" + _OF_DATE + r"\s*\)?\s*$", re.IGNORECASE)
    if _OF_DATE
    else None
)
_OF_RANGE = re.compile(_OF_DATE + r"\b", re.IGNORECASE) if _OF_DATE else None
# "sprint 1/22 - 2/2": month/day pairs, only as a range (a lone "2/2" is a part number).
_NUMERIC_DATES = re.compile(
    r"^(?P<name>.*?)\s*(?:[-–—:,(]\s*)?(?P<m1>\d{1,2})/(?P<d1>\d{1,2})\s*(?:to|-|–|—)\s*"
    r"(?P<m2>\d{1,2})/(?P<d2>\d{1,2})\s*\)?\s*$"
)
_ORD = r"(?:st|nd|rd|th)?"
_RANGES = (
    # month first: "April 3-4", "Sep 1", "Jan 18 - Jan 23", "Jan 31 to Feb 2"
    re.compile(
        r"\b(?P<m1>"
        + _MONTH_NAME
        + r")\s+(?P<d1>\d{1,2})"
        + _ORD
        + r"(?:\s*(?:-|–|to|until|through)\s*(?:(?P<m2>"
        + _MONTH_NAME
        + r")\s+)?(?P<d2>\d{1,2})"
        + _ORD
        + r")?\b",
        re.IGNORECASE,
    ),
    # day first: "6-8th July", "21st to 25th of March"
    re.compile(
        r"\b(?P<d1>\d{1,2})"
        + _ORD
        + r"(?:\s*(?:-|–|to|until)\s*(?P<d2>\d{1,2})"
        + _ORD
        + r")?\s+(?:of\s+)?(?P<m1>"
        + _MONTH_NAME
        + r")\b",
        re.IGNORECASE,
    ),
    # days only, in the sprint's month: "21st to 25th" (index 2)
    re.compile(
        r"\b(?P<d1>\d{1,2})(?:st|nd|rd|th)\s*(?:-|–|to|until)\s*(?P<d2>\d{1,2})(?:st|nd|rd|th)\b",
        re.IGNORECASE,
    ),
    # month/day: "1/18 - 1/19", "1/31 - 2/2" (index 3)
    re.compile(
        r"\b(?P<m1>\d{1,2})/(?P<d1>\d{1,2})(?:\s*[-–]\s*(?P<m2>\d{1,2})/(?P<d2>\d{1,2}))?\b"
    ),
)


def _month(name: str) -> int:
    number = _V.month_number(name)
    return number if number is not None else MONTHS.index(name[:3].title()) + 1


def _make_date(month: int, day: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _near(month: int, day: int, base: date) -> date | None:
    """The date with that month and day nearest to ``base`` (year left out by the writer)."""
    options = [_make_date(month, day, base.year + d) for d in (-1, 0, 1)]
    valid = [o for o in options if o is not None]
    if not valid:
        return None
    return min(valid, key=lambda o: abs((o - base).days))


def _of_dates(match: re.Match[str], base: date) -> tuple[date | None, date | None]:
    """Start and end of an :data:`_OF_DATE` match ("del 3 al 14 de marzo"); a year left out
    is read against ``base``. The end is None for a single date; None, None when not real."""
    month2 = _month(match.group("m2"))
    month1 = _month(match.group("m1")) if match.group("m1") else month2
    day1, day2 = int(match.group("d1")), match.group("d2")
    year1, year2 = match.group("y1"), match.group("y2")
    if day2 is None:
        year = year1 or year2
        start = _make_date(month1, day1, int(year)) if year else _near(month1, day1, base)
        return start, None
    if year1:
        start = _make_date(month1, day1, int(year1))
    elif year2:
        # "del 28 de diciembre al 8 de enero de 2027": the year written once, at the end.
        start = _make_date(month1, day1, int(year2))
        last = _make_date(month2, int(day2), int(year2))
        if start is not None and last is not None and start > last:
            start = _make_date(month1, day1, int(year2) - 1)
    else:
        start = _near(month1, day1, base)
    if start is None:
        return None, None
    end = _make_date(month2, int(day2), int(year2) if year2 else start.year)
    if end is not None and end < start and not year2:
        end = _make_date(month2, int(day2), start.year + 1)
    return (start, end) if end is not None else (None, None)


def title_dates(
    rest: str, today: date, problems: list[str]
) -> tuple[str, date | None, date | None] | None:
    """Dates at the end of a title: "Oct 18 to Oct 29", "29 Nov - 10 Dec", "1/22 - 2/2";
    years left out are read against ``today`` (an issue's creation date). Returns the title
    without them, start and end; dates that do not exist are said so in ``problems``."""
    day_first = _OF_TITLE.match(rest) if _OF_TITLE is not None else None
    if day_first is not None:
        # "Sprint 12 - del 3 al 14 de marzo", "3 de marzo": day first, with small words.
        written = rest[day_first.end("name") :].strip(" -–—:,()")
        start, end = _of_dates(day_first, today)
        if start is None:
            problems.append(
                f"the title's dates “{written}” are not real dates, so the sprint has none"
            )
        return (day_first.group("name").strip(" -–—:,(") or written), start, end
    dates = _TITLE_DATES.match(rest)
    if dates and dates.group("d1"):
        name = dates.group("name").strip(" -–—:,(")
        base = today
        year = int(dates.group("y1")) if dates.group("y1") else None
        month1, day1 = _month(dates.group("m1")), int(dates.group("d1"))
        if year is None and dates.group("y2"):
            # "Mar 2 to Mar 13, 2026": the year written once, at the end, is the start's
            # too (or the year before, across New Year).
            year = int(dates.group("y2"))
            first = _make_date(month1, day1, year)
            last = _make_date(_month(dates.group("m2")), int(dates.group("d2")), year)
            if first is not None and last is not None and first > last:
                year -= 1
        start = _make_date(month1, day1, year) if year else _near(month1, day1, base)
        end = None
        if dates.group("d2") and start is not None:
            year2 = int(dates.group("y2")) if dates.group("y2") else None
            month2 = _month(dates.group("m2"))
            end = _make_date(month2, int(dates.group("d2")), year2 or start.year)
            if end is not None and end < start and year2 is None:
                end = _make_date(month2, int(dates.group("d2")), start.year + 1)
        written = rest[dates.start("m1") :].strip(" )")
        if start is None or (dates.group("d2") and end is None):
            problems.append(
                f"the title's dates “{written}” are not real dates, so the sprint has none"
            )
            start = end = None
        return (name or written), start, end
    other = _DAY_FIRST.match(rest) or _NUMERIC_DATES.match(rest)
    if other is None:
        return None
    month1 = _month(other.group("m1")) if other.re is _DAY_FIRST else int(other.group("m1"))
    month2 = _month(other.group("m2")) if other.re is _DAY_FIRST else int(other.group("m2"))
    if not (1 <= month1 <= 12 and 1 <= month2 <= 12):
        return None
    start = _near(month1, int(other.group("d1")), today)
    if start is None:
        return None
    end = _make_date(month2, int(other.group("d2")), start.year)
    if end is not None and end < start:
        end = _make_date(month2, int(other.group("d2")), start.year + 1)
    written = rest[other.start("d1") if other.re is _DAY_FIRST else other.start("m1") :]
    return (other.group("name").strip(" -–—:,(") or written.strip()), start, end


def range_in(text: str, base: date, *, dated: bool) -> tuple[date, date, tuple[int, int]] | None:
    """The first date range in a line of time off (start, end and where it is written); a year
    left out is read against ``base``; bare days ("21st to 25th") only when the sprint is
    ``dated``."""
    day_first = _OF_RANGE.search(text) if _OF_RANGE is not None else None
    if day_first is not None:
        start, end = _of_dates(day_first, base)
        if start is not None:
            return start, end or start, day_first.span()
    for index, pattern in enumerate(_RANGES):
        match = pattern.search(text)
        if match is None:
            continue
        groups = match.groupdict()
        if index == 3:  # "1/18 - 1/19": month/day
            start = _near(int(groups["m1"]), int(groups["d1"]), base)
            if start is None or not 1 <= int(groups.get("m2") or 1) <= 12:
                continue
            end = start
            if groups.get("d2"):
                end = _near(int(groups["m2"]), int(groups["d2"]), start) or start
            return start, max(start, end), match.span()
        month = _month(groups["m1"]) if groups.get("m1") else base.month
        start = _near(month, int(groups["d1"]), base)
        if start is None:
            continue
        end = start
        if groups.get("d2"):
            month2 = _month(groups["m2"]) if groups.get("m2") else start.month
            end = _make_date(month2, int(groups["d2"]), start.year) or start
            if end < start:
                end = _make_date(month2, int(groups["d2"]), start.year + 1) or start
        if index == 2 and not dated:
            continue  # bare days need the sprint's month
        return start, end, match.span()
    return None
