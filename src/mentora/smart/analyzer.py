"""Rule-based SMART analysis of one goal statement.

Every rule is a named check that either passes or returns the hint shown to the mentee, so a
mentor can always see why a criterion failed. No Django, no I/O: plain data in, plain data out.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from . import vocabulary as words
from .timeframes import VAGUE_TIMES, TimeFindings, find_time_expressions

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

DATE_EXAMPLES = "e.g. 'by 30 June 2027', 'within 6 months', 'by the end of PGY-2'"
MEASURE_EXAMPLES = "e.g. '10 supervised procedures', 'above the 60th percentile', 'abstract submitted'"


@dataclass(frozen=True)
class CriterionResult:
    ok: bool
    hint: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "hint": "" if self.ok else self.hint}


PASS = CriterionResult(True, "")


@dataclass(frozen=True)
class GoalAssessment:
    statement: str
    specific: CriterionResult
    measurable: CriterionResult
    achievable: CriterionResult
    relevant: CriterionResult
    time_bound: CriterionResult

    @property
    def smart(self) -> bool:
        return all(getattr(self, name).ok for name in CRITERIA)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(name for name in CRITERIA if not getattr(self, name).ok)

    def as_dict(self) -> dict[str, object]:
        result: dict[str, object] = {name: getattr(self, name).as_dict() for name in CRITERIA}
        result["smart"] = self.smart
        return result


# ---------------------------------------------------------------------------------------------
# Reading the statement


TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?%?|[a-z][a-z0-9'&]*(?:-[a-z0-9]+)*|&")
# Numbers that are part of a name, not a quantity: "Step 3", "PGY-2", "H-1B", "type 2 diabetes".
NAME_NUMBERS = re.compile(
    r"\b(?:step|level|part|phase|type|grade|class|tier|stage|module|chapter|unit|formula|conrad|"
    r"covid|icd|top|pgy|q|room|ward|floor|version|v)\s*-?\s*\d+[a-z]?\b|\b[a-z]+-\d+[a-z]?\b|"
    r"\b\d+[a-z]?-[a-z]+\b(?=[-\s](?:old|long|minute|hour|day|week|month|year|page|point|item)?)"
)
# "a 15-minute session": the number describes the session, it is not a count of anything.
DURATION_ADJECTIVE = re.compile(r"\b\d+-(?:minute|min|hour|hr|day|week|month|year|page|point|item)\b")
# "for 30 minutes", "for one week": an amount of the activity, so a measure (and a time frame).
ACTIVITY_DURATION = re.compile(r"^for\s")
PARTICIPLE_MILESTONES = frozenset({
    "published", "certified", "accepted", "licensed", "matched", "promoted", "elected", "hired",
    "selected", "funded", "credentialed", "boarded", "approved", "appointed", "registered",
})
NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|dozen|once|twice|thrice|half|both|single)\b"
)
PERCENT = re.compile(r"\d\s*%|\bpercent(?:age)?\b|\bpercentile\b|\bout\s+of\s+\d|\bzero\b|\bno\s+more\s+than\b")
COVERAGE = re.compile(r"\b(?:every|all|each|entire|whole)\b|\bcover\s+to\s+cover\b")
LEAD_INS = sorted(words.LEAD_IN_PHRASES, key=len, reverse=True)
CLAUSE_SPLIT = re.compile(r"\s*(?:[,;:]|\(|\)|\band\s+then\b|\bthen\b|\band\b|&|\bplus\b|\bas\s+well\s+as\b)\s*")
ADVERBS = frozenset({
    "never", "always", "really", "actively", "successfully", "finally", "also", "first", "then",
    "consistently", "fully", "properly", "independently", "personally", "confidently",
    "definitely", "hopefully", "please", "again", "continue", "continuing", "continually",
})
ACTION_WORDS = (
    words.MENTAL_VERBS | words.DIRECTIONAL_VERBS | words.LINKING_VERBS | words.MILESTONE_VERBS
    | words.BOUNDED_ACTION_VERBS | frozenset({
        "perform", "interpret", "practice", "practise", "teach", "study", "read", "review",
        "meditate", "exercise", "sleep", "walk", "collect", "score", "reach", "achieve", "lose",
        "meet", "see", "ask", "contact", "call", "email", "visit", "watch", "play", "speak",
        "communicate", "eliminate", "prevent", "publish", "write", "memorize", "shadow", "use",
    })
)
SLANG_VERBS = frozenset({"ace", "nail", "crush", "smash", "rock", "kill", "dominate", "excel", "thrive", "shine"})
MENTAL_GERUNDS = frozenset({"feeling", "worrying", "thinking", "procrastinating", "doubting", "stressing"})
COMPARATIVES = frozenset({"more", "less", "better", "worse", "fewer"})
SKILL_NOUNS = frozenset({
    "portfolio", "cv", "resume", "brand", "profile", "reputation", "presence",
    "skill", "skills", "knowledge", "confidence", "understanding", "ability", "abilities",
    "competence", "competency", "expertise", "habits", "career", "network", "relationships",
    "english", "spanish", "communication", "balance",
    "fund", "base",
})
VAGUE_TIME_WORDS = frozenset(phrase for phrase in VAGUE_TIMES if " " not in phrase)
STOP_AFTER_OBJECT = frozenset({
    "for", "to", "in", "on", "at", "with", "by", "from", "of", "and", "or", "under", "during",
    "before", "after", "until", "about", "into", "per", "every", "each", "within", "through",
})


def _relevance_pattern() -> re.Pattern[str]:
    parts = []
    for stem in sorted(set(words.RELEVANT_STEMS), key=len, reverse=True):
        escaped = re.escape(stem).replace(r"\ ", r"\s+")
        if len(stem) <= 4:
            parts.append(rf"\b{escaped}(?:s|es|ing|ed)?\b")
        else:
            parts.append(rf"\b{escaped}")
    return re.compile("|".join(parts))


RELEVANT = _relevance_pattern()
# Medical word forms and record-keeping acronyms: "cholecystectomies", "colonoscopy", "anaemia",
# "EHR", "MPH" — so goals in unlisted specialties are recognised too.
MEDICAL_FORM = re.compile(
    r"\b\w+(?:ectom|otom|ostom|oscop|plast|itis|aemi|emia|osis|oses|ology|ologist|iatr|ograph|algia|"
    r"opath|pathy|omas?\b|cardi|neph|hepat|gastr|derm|cyt)\w*\b|\b(?:ehr|emr|epic|cerner|mph|msc|phd|mba|md|"
    r"icu)\b"
)
OFF_TOPIC = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words.OFF_TOPIC_WORDS, key=len, reverse=True)) + r")s?\b")
SENIOR_ROLE = re.compile(r"\b(?:become|be\s+(?:named|appointed|promoted\s+to)|appointed|promoted\s+to)\s+(?:the\s+|a\s+|an\s+|our\s+|my\s+)?(?:[\w-]+\s+){0,2}?(" + "|".join(re.escape(r) for r in words.SENIOR_ROLES) + r")\b")
TOP_JOURNAL = re.compile(r"\b(" + "|".join(re.escape(j) for j in words.TOP_JOURNALS) + r")\b")
CHANCE = re.compile(r"\b(" + "|".join(re.escape(c) for c in words.CHANCE_OUTCOMES) + r")\b")
UNPREPARED = re.compile(r"\b(" + "|".join(re.escape(p) for p in words.UNPREPARED_PHRASES) + r")\b")
KNOW_EVERYTHING = re.compile(r"\b(know|learn|master|memori[sz]e|understand|read|remember|cover)\s+(?:about\s+)?(everything|all\s+(?:the\s+|of\s+)?[a-z]+|the\s+(?:entire|whole)\s+[\w'-]+(?:\s+[\w'-]+)?|every\s+[a-z]+)")
ENTIRE_WORK = re.compile(r"\b(memori[sz]e|learn|know)\s+(?:the\s+)?(?:entire|whole|complete)\b")
COVER_TO_COVER = re.compile(r"\b(?:read|finish|review)\s+(?:the\s+)?(?:entire|whole)\s+[\w'-]+|\bcover\s+to\s+cover\b")
GRANDIOSE = re.compile(r"\b(cure\s+(?:cancer|aids|hiv|diabetes|alzheimer'?s|dementia|malaria|tuberculosis|obesity|heart\s+disease)|end\s+world\s+hunger|save\s+the\s+world|fix\s+(?:the\s+)?health\s*care(?:\s+system)?)\b")
NEVER_AGAIN = re.compile(r"\b(never\s+(?:\w+\s+){0,2}?again|never\s+(?:feel|be|get|make|have|miss|forget)\b[^.]*|always\s+(?:feel|be)\s+\w+|zero\s+stress)")
ELIMINATE_ALL = re.compile(r"\b(eliminate|prevent|stop|end|eradicate)\s+(?:all|every|any)\b[^,.;]*")
MASTERY = re.compile(r"\b(master|become\s+(?:an?\s+)?expert|an?\s+expert\s+in|fluent\s+in|perfect\s+my)\b")
IMMIGRATION_OUTCOME = re.compile(r"\b(green\s+card|permanent\s+residen\w*|citizenship|naturali[sz]ation)\b")


@dataclass
class _Reading:
    """What the rules need to know about one statement, worked out once."""

    text: str
    lowered: str
    masked: str  # lowered, with time expressions blanked out
    quantity_text: str  # masked, with name-numbers ("Step 3") blanked out too
    time: TimeFindings
    clauses: list[list[str]]  # tokens of each clause that starts with an action word
    main: list[str]  # tokens of the main clause, lead-in removed
    verb: str
    has_quantity: bool  # a count, percentage, or an amount of activity ("for 30 minutes")
    has_count: bool  # a count or percentage written in the statement


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def _strip_lead_in(clause: str) -> str:
    clause = clause.strip(" .!-–—\"'")
    changed = True
    while changed:
        changed = False
        for phrase in LEAD_INS:
            if clause == phrase or clause.startswith(phrase + " "):
                clause = clause[len(phrase):].strip()
                changed = True
                break
    return clause


def _read(statement: str, today: datetime.date) -> _Reading:
    text = re.sub(r"\s+", " ", statement).strip()
    lowered = text.lower().replace("’", "'")
    time = find_time_expressions(lowered, today)
    masked = _blank(lowered, time.spans)
    name_spans = [m.span() for m in NAME_NUMBERS.finditer(masked)]
    name_spans += [m.span() for m in DURATION_ADJECTIVE.finditer(masked)]
    quantity_text = _blank(masked, name_spans)
    has_count = bool(
        re.search(r"\d", quantity_text) or NUMBER_WORD.search(quantity_text) or PERCENT.search(quantity_text)
    )
    has_quantity = has_count or any(
        e.kind == "frame" and ACTIVITY_DURATION.match(e.text) for e in time.expressions
    )

    clauses: list[list[str]] = []
    main: list[str] = []
    for raw in CLAUSE_SPLIT.split(masked):
        tokens = TOKEN.findall(_strip_lead_in(raw))
        while tokens and tokens[0] in ADVERBS | {"to", "i", "will", "and"}:
            tokens = tokens[1:]
        if not tokens:
            continue
        if not main:
            main = tokens
            clauses.append(tokens)
        elif len(main) == 1 and len(clauses) == 1:
            main = main + tokens  # "read and interpret 100 ECGs": one action with two verbs
            clauses[0] = main
        elif tokens[0] in ACTION_WORDS:
            clauses.append(tokens)
    if not main:
        main = TOKEN.findall(masked)
    verb = main[0] if main else ""
    return _Reading(text, lowered, masked, quantity_text, time, clauses, main, verb, has_quantity, has_count)


def _object_words(tokens: list[str]) -> list[str]:
    """Content words after the verb, up to the first preposition that starts a modifier."""
    content = []
    for token in tokens[1:]:
        if token in STOP_AFTER_OBJECT and content:
            break
        if token in words.FUNCTION_WORDS or token in STOP_AFTER_OBJECT or token in VAGUE_TIME_WORDS:
            continue
        content.append(token)
    return content


def _all_content(tokens: list[str]) -> list[str]:
    return [t for t in tokens[1:] if t not in words.FUNCTION_WORDS and t not in STOP_AFTER_OBJECT]


def _quote(phrase: str) -> str:
    return f"'{phrase[:1].upper()}{phrase[1:]}'"


# ---------------------------------------------------------------------------------------------
# Vagueness of the main action, shared by specific and measurable


def _vague_action(reading: _Reading) -> tuple[str, str] | None:
    """(phrase, kind) when the main action cannot be observed; kind is mental, directional or quality."""
    main, verb = reading.main, reading.verb
    if not verb:
        return ("", "empty")
    nxt = main[1] if len(main) > 1 else ""
    if verb in {"figure", "sort", "look", "think", "brush", "catch"} and nxt in {"out", "into", "about", "up"}:
        return (f"{verb} {nxt}", "mental")
    if verb in words.MENTAL_VERBS:
        phrase = f"{verb} {nxt}" if nxt in {"about", "more", "to", "out", "up", "how"} else verb
        return (phrase, "mental")
    if verb in SLANG_VERBS:
        return (verb, "quality")
    if nxt in MENTAL_GERUNDS or (nxt.endswith("ing") and nxt[:-3] in words.MENTAL_VERBS):
        return (f"{verb} {nxt}", "mental")
    if verb in {"work", "focus", "concentrate"}:
        if nxt in {"on", "harder", "towards", "toward"}:
            return (f"{verb} {nxt}", "directional")
        return None
    if verb in {"develop", "build", "grow", "expand", "broaden", "deepen"}:
        head = _object_words(main)
        if head and not any(w in SKILL_NOUNS for w in head):
            return None
        if not reading.has_quantity:
            return (verb, "directional")
        return None
    if verb in words.DIRECTIONAL_VERBS:
        if reading.has_quantity:
            return None
        return (verb, "directional")
    if reading.has_count:
        return None  # "get 95 % or more", "see 12 patients": the number is the target
    if verb == "be" and nxt in {"a", "an", "the"}:
        return (" ".join(main[:4]), "quality")  # being a kind of person is not a task
    for position, word in enumerate(main[1:], start=1):
        near = position <= 3
        if (near and (word in words.VAGUE_QUALITIES or (word.endswith("ier") and len(word) > 5))) or (
            word in COMPARATIVES
        ):
            return (" ".join(main[: position + 1]), "quality")
    return None


def _vague_amount(reading: _Reading) -> str | None:
    for token in TOKEN.findall(reading.masked):
        if token in words.VAGUE_AMOUNTS:
            return token
    return None


# ---------------------------------------------------------------------------------------------
# The five criteria


def _check_specific(reading: _Reading) -> CriterionResult:
    vague = _vague_action(reading)
    if vague:
        phrase, kind = vague
        if kind == "empty":
            return CriterionResult(False, "Write the goal as an action: what exactly will you do?")
        if kind == "mental":
            if phrase.startswith("try"):
                return CriterionResult(False, "'Try' is not a commitment: what exactly will you do?")
            return CriterionResult(
                False,
                f"{_quote(phrase)} cannot be observed: what will you be able to do? "
                "(e.g. perform, interpret, present, pass, teach)",
            )
        if kind == "directional":
            return CriterionResult(
                False,
                f"{_quote(phrase)} says which way, not where to: name the exact skill or result "
                "and the level you will reach (e.g. 'from 60 % to 90 %').",
            )
        return CriterionResult(
            False,
            f"{_quote(phrase)} is a quality, not a task: name what you will do that shows it "
            "(e.g. which procedure, exam, project or teaching session).",
        )
    content = _all_content(reading.main)
    if not reading.has_quantity and not re.search(r"\d", reading.masked):
        particular = [w for w in content if w not in words.GENERIC_OBJECTS and w not in words.VAGUE_AMOUNTS
                      and w not in ACTION_WORDS and w not in VAGUE_TIME_WORDS]
        if not particular:
            phrase = " ".join(reading.main).strip()
            return CriterionResult(
                False,
                f"{_quote(phrase)} is too general: what exactly? Name the topic, project, venue, "
                "audience or exam.",
            )
    return PASS


def _is_bounded(tokens: list[str]) -> bool:
    verb = tokens[0]
    if verb in words.MILESTONE_VERBS:
        return not (verb == "start" and any(t in words.UNBOUNDED_OBJECTS for t in _object_words(tokens)))
    if verb == "run" and len(tokens) > 1 and tokens[1] == "for":
        return True  # running for an office: the candidacy is the checkable event
    if verb == "get" and len(tokens) > 1 and tokens[1] in PARTICIPLE_MILESTONES:
        return True
    if verb == "become":
        return True  # "become chief resident": a role one holds or not; vague roles are caught earlier
    if verb not in words.BOUNDED_ACTION_VERBS:
        return False
    head = _object_words(tokens)
    if not head:
        return False
    if head[-1] in words.UNBOUNDED_OBJECTS or head[-1] in SKILL_NOUNS:
        return False
    if verb in {"finish", "complete"} and head[-1] not in words.GENERIC_OBJECTS:
        return True  # "finish knitting a sweater": a concrete thing is done or not
    return any(word in words.BOUNDED_OBJECTS for word in head)


def _check_measurable(reading: _Reading, measure: str | None) -> CriterionResult:
    if measure and measure.strip():
        return PASS
    vague = _vague_action(reading)
    if reading.has_quantity:
        return PASS
    if vague and vague[1] != "empty":
        return CriterionResult(
            False,
            f"{_quote(vague[0])} cannot be counted: how will you and your mentor know it is done? "
            f"Add a number, score or checkable result ({MEASURE_EXAMPLES}).",
        )
    amount = _vague_amount(reading)
    if amount and reading.time.cadence_days is None:
        return CriterionResult(
            False,
            f"{_quote(amount)} is not a measure: how many, how often, or what score?",
        )
    if reading.time.cadence_days is not None or COVERAGE.search(reading.masked):
        return PASS
    if any(_is_bounded(clause) for clause in reading.clauses):
        return PASS
    return CriterionResult(
        False,
        f"How will you know it is done? Add a number, score, percentage or frequency ({MEASURE_EXAMPLES}).",
    )


def _counts(reading: _Reading) -> list[tuple[float, str, float, str]]:
    """(count, noun, realistic per day, category) for each "N <noun>" the rates table knows."""
    tokens = TOKEN.findall(reading.quantity_text)
    found = []
    for i, token in enumerate(tokens):
        if not token[0].isdigit() or token.endswith("%"):
            continue
        try:
            count = float(token.replace(",", ""))
        except ValueError:
            continue
        head = []
        for word in tokens[i + 1 : i + 6]:
            if word in STOP_AFTER_OBJECT or word[0].isdigit():
                break
            head.append(word)
        if not head:
            continue
        for nouns, rate, category in words.REALISTIC_DAILY_RATES:
            last_two = " ".join(head[-2:])
            if head[-1] in nouns or last_two in nouns:
                found.append((count, head[-1], rate, category))
                break
    return found


def _check_achievable(reading: _Reading, target_date: datetime.date | None, today: datetime.date) -> CriterionResult:
    lowered = reading.lowered
    if target_date is not None and target_date < today:
        return CriterionResult(
            False, f"The target date {target_date.isoformat()} has already passed: choose a date after today."
        )
    past = reading.time.past_deadlines
    if past:
        return CriterionResult(
            False, f"{_quote(past[0].text.strip())} has already passed: choose a date after today."
        )
    horizon = reading.time.horizon_days
    if horizon is None and target_date is not None:
        horizon = float((target_date - today).days)
    if m := CHANCE.search(lowered):
        return CriterionResult(
            False, f"{_quote(m[1])} depends on chance, not on you: set a goal about what you will do."
        )
    if m := GRANDIOSE.search(lowered):
        return CriterionResult(
            False, f"{_quote(m[1])} is a life's work for whole fields, not a personal goal: pick your "
            "part of it (a project, a paper, a skill) with a date.",
        )
    if (m := COVER_TO_COVER.search(lowered)) and horizon is not None and horizon < 90:
        return CriterionResult(
            False, f"{_quote(m[0].strip())} in {_describe_days(horizon)} is not realistic next to clinical "
            "work: set a number of chapters or pages per week.",
        )
    if (m := UNPREPARED.search(lowered)) and horizon is not None and horizon <= 30:
        return CriterionResult(
            False, f"{_quote(m[1])} with so little time left is not realistic: plan the preparation "
            "first, or move the date.",
        )
    if m := NEVER_AGAIN.search(lowered):
        return CriterionResult(
            False, f"{_quote(m[1].strip())} is an absolute nobody can promise: set a level you can keep "
            "(e.g. 'sleep 7 hours on 5 nights a week').",
        )
    if (m := KNOW_EVERYTHING.search(lowered)) or (m := ENTIRE_WORK.search(lowered)):
        return CriterionResult(
            False, f"{_quote(m[0].strip())} is more than anyone can do: choose a defined part "
            "(e.g. the 20 antibiotics on your ward formulary, one chapter a week).",
        )
    if m := ELIMINATE_ALL.search(lowered):
        return CriterionResult(
            False, f"{_quote(m[0].strip())} is beyond what one person controls: aim for a realistic "
            "reduction you can influence (e.g. by 20 % on your unit).",
        )
    if (m := MASTERY.search(lowered)) and horizon is not None and horizon < 365:
        return CriterionResult(
            False, f"{_quote(m[1])} takes years, not {_describe_days(horizon)}: set a first step you can "
            "reach in that time.",
        )
    if (m := SENIOR_ROLE.search(lowered)) and horizon is not None and horizon <= 730:
        return CriterionResult(
            False, f"{_quote(m[1])} is years away for a trainee: set a step towards it, such as a "
            "committee role or a leadership course.",
        )
    if (m := IMMIGRATION_OUTCOME.search(lowered)) and horizon is not None and horizon < 365:
        return CriterionResult(
            False, f"A {m[1]} within {_describe_days(horizon)} depends on processing times you do not "
            "control: set a goal for the steps you control (forms filed, documents sent).",
        )
    publishing = re.search(r"publish|first[\s-]author|paper|article", lowered)
    if (m := TOP_JOURNAL.search(lowered)) and publishing and horizon is not None and horizon <= 365:
        journal = m[1].upper() if len(m[1]) <= 4 else m[1].title()
        return CriterionResult(
            False, f"A paper in {journal} within {_describe_days(horizon)} is very unlikely: aim for a "
            "submission or a smaller journal first.",
        )
    window = reading.time.cadence_days or horizon
    if window is not None:
        window = max(window, 1.0)
        for count, noun, rate, _category in _counts(reading):
            allowed = max(1.0, rate * window) * 2
            if count > allowed:
                return CriterionResult(
                    False,
                    f"{count:g} {noun} in {_describe_days(window)} is far beyond what a resident can do "
                    f"(about {max(1, int(rate * window)):g} is realistic): lower the number or allow more time.",
                )
    actions = [clause[0] for clause in reading.clauses]
    if len(actions) >= 6 or (len(actions) >= 4 and (horizon is None or horizon <= 183)):
        return CriterionResult(
            False,
            f"{len(actions)} goals at once ({', '.join(actions)}): pick one or two and make the others "
            "separate goals with their own dates.",
        )
    return PASS


def _describe_days(days: float) -> str:
    if days <= 1:
        return "a day"
    if days < 14:
        return f"{days:g} days"
    if days < 60:
        return f"about {round(days / 7):g} weeks"
    if days < 730:
        return f"about {round(days / 30):g} months"
    return f"about {round(days / 365):g} years"


def _check_relevant(reading: _Reading) -> CriterionResult:
    if RELEVANT.search(reading.masked):
        return PASS
    if MEDICAL_FORM.search(reading.masked):
        return PASS
    if m := OFF_TOPIC.search(reading.masked):
        return CriterionResult(
            False,
            f"How does {_quote(m[1])} serve your training or career? Link the goal to clinical care, "
            "exams, research, teaching, licensing, career or your wellbeing, or keep it out of the plan.",
        )
    # Neither domain words nor a known hobby: medicine has more words than any list, so give the
    # benefit of the doubt rather than tell a mentee their goal is irrelevant.
    return PASS


def _check_time_bound(reading: _Reading, target_date: datetime.date | None) -> CriterionResult:
    if target_date is not None or reading.time.found:
        return PASS
    if reading.time.vague_time:
        return CriterionResult(False, f"{_quote(reading.time.vague_time)} is not a date: by when? ({DATE_EXAMPLES})")
    if re.search(r"\b(regularly|often|frequently|consistently|routinely|periodically)\b", reading.masked):
        return CriterionResult(False, f"Add a date or a schedule: how often, and by when? ({DATE_EXAMPLES})")
    return CriterionResult(False, f"Add a date: by when? ({DATE_EXAMPLES})")


def analyze(
    statement: str,
    *,
    target_date: datetime.date | None = None,
    measure: str | None = None,
    today: datetime.date | None = None,
) -> GoalAssessment:
    """Judge a goal statement on the five SMART criteria, with a hint for each one it fails.

    `target_date` and `measure` are the optional form fields beside the statement: a filled-in
    target date makes the goal time-bound, a filled-in measure makes it measurable. `today`
    fixes the reference date (default: the current date) for past-date and time-frame checks.
    """
    today = today or datetime.date.today()
    reading = _read(statement or "", today)
    if not reading.lowered:
        empty = CriterionResult(False, "Write the goal first.")
        return GoalAssessment(statement, empty, empty, empty, empty, empty)
    return GoalAssessment(
        statement=statement,
        specific=_check_specific(reading),
        measurable=_check_measurable(reading, measure),
        achievable=_check_achievable(reading, target_date, today),
        relevant=_check_relevant(reading),
        time_bound=_check_time_bound(reading, target_date),
    )
