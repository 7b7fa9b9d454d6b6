"""Finding deadlines, time frames and cadences in a goal statement.

Each recognised expression yields a `TimeExpression`: the words it spans (so the rest of the
analyzer can ignore "30" in "by 30 June" when looking for quantities), an optional concrete
deadline, an optional horizon in days from today, and an optional cadence in days.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}
MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "few": 3, "a few": 3, "several": 4, "couple of": 2, "a couple of": 2,
}
NUMBER = r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|a\s+few|few|several|a\s+couple\s+of|couple\s+of)"
UNIT_DAYS = {
    "hour": 1 / 24, "day": 1, "night": 1, "weekday": 1, "morning": 1, "evening": 1, "shift": 1,
    "week": 7, "weekend": 7, "fortnight": 14, "month": 30, "quarter": 91, "semester": 182,
    "term": 120, "year": 365, "rotation": 28, "block": 28, "call": 4,
}
UNIT = r"(?:hour|day|night|week|fortnight|month|quarter|semester|term|year)"
SEASON_END = {"spring": (5, 31), "summer": (8, 31), "fall": (11, 30), "autumn": (11, 30), "winter": (2, 28)}
# Training periods whose end is at most about a year away while one is in them.
TRAINING_PERIOD = (
    r"(?:pgy-?\s?\d|intern(?:ship)?\s+year|internship|residency|fellowship|training|chief\s+year|"
    r"(?:first|second|third|fourth|final|last|this|next)\s+(?:academic\s+)?year(?:\s+of\s+(?:residency|training|fellowship))?|"
    r"academic\s+year|rotation|block|elective|clerkship|attachment|semester|term)"
)
EVENTS = (
    r"(?:ite|in-training\s+exam(?:ination)?|exams?|boards?|board\s+exams?|step\s*[123](?:\s*ck)?|"
    r"interviews?|match|graduation|deadline|defen[cs]e|conference|meeting|election|"
    r"application\s+(?:cycle|season)|eras|nrmp|start|orientation|test|evaluation|review|"
    r"rotation|block|elective|residency|fellowship|internship|appointment|visit)"
)
VAGUE_TIMES = (
    "soon", "someday", "some day", "eventually", "one day", "at some point", "in the future",
    "when i have time", "when i can", "asap", "as soon as possible", "later", "in due course",
    "sometime", "whenever",
)


@dataclass(frozen=True)
class TimeExpression:
    text: str
    start: int
    end: int
    kind: str  # "deadline", "frame", "cadence" or "anchor"
    deadline: datetime.date | None = None
    horizon_days: float | None = None
    cadence_days: float | None = None


@dataclass
class TimeFindings:
    expressions: list[TimeExpression] = field(default_factory=list)
    vague_time: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.expressions)

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(e.start, e.end) for e in self.expressions]

    @property
    def past_deadlines(self) -> list[TimeExpression]:
        return [e for e in self.expressions if e.horizon_days is not None and e.horizon_days < 0]

    @property
    def horizon_days(self) -> float | None:
        """Days until the earliest deadline or end of time frame that lies ahead, if known."""
        ahead = [e.horizon_days for e in self.expressions if e.horizon_days is not None and e.horizon_days >= 0]
        return min(ahead) if ahead else None

    @property
    def cadence_days(self) -> float | None:
        cadences = [e.cadence_days for e in self.expressions if e.cadence_days]
        return min(cadences) if cadences else None


def _number(word: str) -> float:
    word = re.sub(r"\s+", " ", word.strip())
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return 1.0


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _next_occurrence(month: int, day: int | None, today: datetime.date) -> datetime.date | None:
    """The first date on or after today with that month (and day): "by 30 June", "by December"."""
    for year in (today.year, today.year + 1):
        candidate = _safe_date(year, month, day) if day else _month_end(year, month)
        if candidate and candidate >= today:
            return candidate
    return None


def _days(deadline: datetime.date | None, today: datetime.date) -> float | None:
    return None if deadline is None else float((deadline - today).days)


class _Collector:
    def __init__(self, text: str, today: datetime.date):
        self.text = text
        self.today = today
        self.found: list[TimeExpression] = []

    def taken(self, start: int, end: int) -> bool:
        return any(start < e.end and e.start < end for e in self.found)

    def add(self, match: re.Match[str], kind: str, *, deadline: datetime.date | None = None,
            horizon: float | None = None, cadence: float | None = None, group: int = 0) -> None:
        start, end = match.span(group)
        if self.taken(start, end):
            return
        if deadline is not None and horizon is None:
            horizon = _days(deadline, self.today)
        self.found.append(TimeExpression(match.group(group), start, end, kind, deadline, horizon, cadence))


def find_time_expressions(text: str, today: datetime.date) -> TimeFindings:
    """Find every deadline, time frame and cadence in `text` (any case)."""
    lowered = text.lower()
    collect = _Collector(lowered, today)

    # Full dates first, so their day and year are not read as quantities later.
    for m in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", lowered):
        collect.add(m, "deadline", deadline=_safe_date(int(m[1]), int(m[2]), int(m[3])))
    for m in re.finditer(r"\b(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b", lowered):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        # Day-first (international) unless that is impossible.
        first, second = int(m[1]), int(m[2])
        day, month = (first, second) if second <= 12 else (second, first)
        collect.add(m, "deadline", deadline=_safe_date(year, month, day))
    for m in re.finditer(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH})(?:,?\s+(\d{{4}}))?\b", lowered):
        month = MONTHS[m[2].rstrip(".")]
        day = int(m[1])
        deadline = _safe_date(int(m[3]), month, day) if m[3] else _next_occurrence(month, day, today)
        collect.add(m, "deadline", deadline=deadline)
    for m in re.finditer(rf"\b({MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|percent))(?:,?\s+(\d{{4}}))?", lowered):
        if m[1] == "may" and not re.search(r"(?:by|before|until|till|on|in|from|through)\s+$", lowered[: m.start()]):
            continue
        month = MONTHS[m[1].rstrip(".")]
        day = int(m[2])
        if day > 31:
            continue
        deadline = _safe_date(int(m[3]), month, day) if m[3] else _next_occurrence(month, day, today)
        collect.add(m, "deadline", deadline=deadline)
    for m in re.finditer(rf"\b({MONTH})\s+(?:of\s+)?(20\d\d)\b", lowered):
        collect.add(m, "deadline", deadline=_month_end(int(m[2]), MONTHS[m[1].rstrip(".")]))
    month_context = r"(?:by|before|in|until|till|through|thru|from|between|during|of|and|to|since|early|mid-?|late|end\s+of|next|this|last)\s+(?:the\s+end\s+of\s+|early\s+|mid-?|late\s+)?"
    for m in re.finditer(rf"\b{month_context}({MONTH})(?![\w-])", lowered):
        collect.add(m, "deadline", deadline=_next_occurrence(MONTHS[m[1].rstrip(".")], None, today), group=0)

    # Quarters and seasons.
    for m in re.finditer(r"\b(?:q([1-4])|(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)(?:\s+(?:of\s+)?(20\d\d))?\b", lowered):
        quarter = int(m[1]) if m[1] else {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}[m[2]]
        deadline = _month_end(int(m[3]), quarter * 3) if m[3] else _next_occurrence(quarter * 3, None, today)
        collect.add(m, "deadline", deadline=deadline)
    for m in re.finditer(r"\b(?:(this|next|the|by|in|before|until|during|over)\s+)?(spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(20\d\d))?\b", lowered):
        if not m[1] and not m[3]:
            continue
        month, day = SEASON_END[m[2]]
        if m[3]:
            year = int(m[3]) + (1 if m[2] == "winter" else 0)
            deadline = _safe_date(year, month, day)
        else:
            deadline = _next_occurrence(month, day, today)
            if m[1] == "next" and deadline is not None:
                deadline = _safe_date(deadline.year + 1, month, day) if (deadline - today).days < 180 else deadline
        collect.add(m, "deadline", deadline=deadline)

    # Relative expressions.
    for m in re.finditer(r"\b(?:by\s+|before\s+|until\s+|till\s+)?(?:the\s+)?(?:end\s+of\s+)?(today|tonight|tomorrow)\b", lowered):
        collect.add(m, "deadline", horizon=1.0)
    for m in re.finditer(rf"\b(by\s+|before\s+|until\s+|till\s+|starting\s+|from\s+|on\s+)?(?:the\s+end\s+of\s+)?(this|next|the\s+coming|coming|the\s+following|following)\s+(?:(academic|calendar|fiscal|school)\s+)?(day|week|weekend|month|year|quarter|semester|term|rotation|block|{WEEKDAY})(?:'s)?\b", lowered):
        unit = m[4]
        base = 7.0 if unit in WEEKDAYS else UNIT_DAYS.get(unit, 30)
        by = bool(m[1]) and m[1].strip() in {"by", "before", "until", "till"}
        horizon = base if m[2] == "this" or by else 2 * base
        collect.add(m, "frame", horizon=horizon)
    for m in re.finditer(rf"\b(?:by|before|until|till|on)\s+(?:next\s+)?{WEEKDAY}\b", lowered):
        collect.add(m, "deadline", horizon=7.0)
    for m in re.finditer(rf"\b(?:(?:with)?in|over|for|during|after)\s+(?:the\s+)?(?:next|coming|following|upcoming|first|last)?\s*({NUMBER})[\s-]*({UNIT}|rotation|block)s?\b", lowered):
        horizon = _number(m[1]) * UNIT_DAYS[m[2]]
        collect.add(m, "frame", horizon=horizon)
    for m in re.finditer(rf"\b({NUMBER})\s+({UNIT})s?\s+(?:from\s+(?:now|today)|later|away)\b", lowered):
        collect.add(m, "frame", horizon=_number(m[1]) * UNIT_DAYS[m[2]])
    for m in re.finditer(r"\b(?:by|before|until|till|at|in)\s+(?:the\s+)?(end|middle|start|beginning)\s+of\s+(?:the\s+|this\s+|my\s+|our\s+)?(day|week|month|year|quarter|semester|term|academic\s+year|calendar\s+year|summer|spring|fall|autumn|winter)\b", lowered):
        unit = m[2].split()[-1]
        horizon = float(UNIT_DAYS.get(unit, 120))
        collect.add(m, "deadline", horizon=horizon)

    # Years standing alone: "in 2027", "the 2027 Match"; not "2000 questions".
    for m in re.finditer(r"\b(20[2-9]\d)(?:\s*[-/]\s*(?:20)?(\d{2}))?\b(?!\s*(?:%|[a-z]+s\b|,\d))", lowered):
        if re.search(r"\d,$", lowered[: m.start()]):
            continue
        year = int(m[2]) + 2000 if m[2] else int(m[1])
        if m[2] and year < int(m[1]):
            continue
        collect.add(m, "deadline", deadline=datetime.date(year, 12, 31) if not m[2] else datetime.date(year, 6, 30))

    # Training periods and events: "by the end of PGY-2", "before my ITE", "during my MICU rotation".
    for m in re.finditer(rf"\b(?:by|before|until|till|through|in|during|(?=for\s+the\s+(?:rest|remainder|duration)))(?:for\s+)?\s*(?:the\s+)?(?:(end|start|beginning|middle|rest|remainder|duration)\s+of\s+)?(?:the\s+|my\s+|this\s+|our\s+|next\s+)?(?:[\w-]+\s+){{0,2}}?({TRAINING_PERIOD})\b", lowered):
        period = m[2]
        if re.match(r"pgy-?\s?1|intern", period) or period in {"rotation", "block", "elective", "clerkship", "attachment"}:
            horizon = 28.0 if period in {"rotation", "block", "elective", "clerkship", "attachment"} else 365.0
        elif "this" in m[0] or "academic year" in period:
            horizon = 365.0
        else:
            horizon = None
        collect.add(m, "anchor", horizon=horizon)
    for m in re.finditer(rf"\b(?:before|by|until|till|ahead\s+of|prior\s+to|in\s+time\s+for)\s+(?:starting\s+|the\s+start\s+of\s+|beginning\s+)?(?:my|the|our|next|this|starting|the\s+next)?\s*(?:[\w-]+\s+){{0,3}}?{EVENTS}\b(?:\s+date)?", lowered):
        collect.add(m, "anchor")
    for m in re.finditer(r"\b(?:on|in|during|for)\s+my\s+(?:next|upcoming|current|first|last)?\s*(?:[\w-]+\s+){0,2}?(month|rotation|block|elective|shift|call|week)\b", lowered):
        horizon = 30.0 if m[1] in {"month", "rotation", "block", "elective"} else 7.0
        collect.add(m, "anchor", horizon=horizon)
    for m in re.finditer(r"\bwithin\s+(\d+)\s*(?:hours?|hrs?|h|minutes?|mins?)\b", lowered):
        collect.add(m, "frame")

    # Cadences: "every weekday", "three times a week", "monthly", "each quarter".
    for m in re.finditer(rf"\b(?:every|each|per|once\s+a|twice\s+a|thrice\s+a|times\s+(?:a|per))\s+(?:other\s+)?(?:({NUMBER})\s+)?(day|weekday|weekend|morning|evening|night|afternoon|week|month|quarter|semester|year|rotation|block|shift|call|fortnight|{WEEKDAY})s?\b", lowered):
        unit = m[2]
        days = (7.0 if unit in WEEKDAYS else UNIT_DAYS.get(unit, 7)) * (_number(m[1]) if m[1] else 1)
        collect.add(m, "cadence", cadence=days)
    for m in re.finditer(r"\b(?<!per\s)(?<!every\s)(?<!each\s)(?:a|an)\s+(day|week|month|year)\b(?!\s*(?:of|old|long|ago|later|earlier|before|after|from|or\s+two|or\s+so)\b)", lowered):
        if re.search(r"(?:for|in|within|than|of|over|take|takes|took|after)\s+$", lowered[: m.start()]):
            continue
        collect.add(m, "cadence", cadence=float(UNIT_DAYS[m[1]]))
    for m in re.finditer(r"\b(daily|weekly|monthly|quarterly|yearly|annually|nightly|biweekly|bi-weekly|fortnightly|bimonthly|bi-monthly|weekdays|twice-weekly|semiannually)\b", lowered):
        days = {"daily": 1, "nightly": 1, "weekdays": 1, "weekly": 7, "biweekly": 14, "bi-weekly": 14,
                "twice-weekly": 3.5, "fortnightly": 14, "monthly": 30, "bimonthly": 60, "bi-monthly": 60,
                "quarterly": 91, "yearly": 365, "annually": 365, "semiannually": 182}[m[1]]
        collect.add(m, "cadence", cadence=float(days))
    for m in re.finditer(r"\b(?:until|till)\s+(?:the\s+|my\s+)?(?:[\w-]+\s+){0,2}?(?:exam|test|boards?|ite|match|interview|end|deadline)\b", lowered):
        collect.add(m, "anchor")

    # Holidays: "by Christmas", "before Thanksgiving".
    for m in re.finditer(r"\b(?:by|before|until|till|for|at|over|after)\s+(christmas|new\s+year'?s?(?:\s+eve)?|thanksgiving|easter|ramadan|eid|diwali|lunar\s+new\s+year|independence\s+day|labou?r\s+day|memorial\s+day)\b", lowered):
        fixed = {"christmas": (12, 25), "thanksgiving": (11, 26)}
        name = m[1].split()[0]
        if name in fixed:
            deadline = _next_occurrence(*fixed[name], today)
        elif name == "new":
            deadline = _next_occurrence(12, 31, today)
        else:
            deadline = None
        collect.add(m, "deadline", deadline=deadline)

    # Plural weekdays and cycles: "on Saturdays", "in this ERAS cycle".
    for m in re.finditer(rf"\b(?:on\s+)?{WEEKDAY}s\b", lowered):
        collect.add(m, "cadence", cadence=7.0)
    for m in re.finditer(r"\b(?:in|during|for|by\s+the\s+end\s+of)\s+(this|next|the\s+current|the\s+coming|the\s+\d{4})\s+(?:[\w-]+\s+){0,2}?(cycle|season)\b", lowered):
        collect.add(m, "frame", horizon=365.0 if m[1] != "next" else 730.0)

    findings = TimeFindings(sorted(collect.found, key=lambda e: e.start))
    for phrase in VAGUE_TIMES:
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            findings.vague_time = phrase
            break
    return findings
