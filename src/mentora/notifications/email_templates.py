"""A program's own wording of the emails it sends (invitations, nudges, reminders), with placeholders.

Coordinators write the subject and body with Django template placeholders, `{{ person_name }}`, and
nothing else: a template is compiled by an engine that knows no tag library, then every node is checked
to be plain text or one of the kind's whitelisted placeholders (no attribute lookups, no filters, no
tags). The emails are plain text, so the rendered text is never marked safe: the preview page escapes
all of it (autoescape), the coordinator's words and the values alike. A program without its own template
uses the defaults below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode, VariableNode

from .models import EmailTemplate


@dataclass(frozen=True)
class EmailKind:
    label: str
    when: str
    placeholders: dict[str, str]  # name -> what it holds
    subject: str
    body: str
    sample: dict[str, str]


EMAIL_KINDS: dict[str, EmailKind] = {
    "invitation": EmailKind(
        label="Invitation", when="A person added by an import or by hand is invited to choose a password.",
        placeholders={"person_name": "the invited person's name", "program_name": "the program's name",
                      "password_link": "the link to choose a password (works a few days)",
                      "new_link_page": "where to ask for a new link"},
        subject="You are invited to Mentora by {{ program_name }}",
        body="{{ program_name }} added you to Mentora, the mentorship platform for International Medical "
             "Graduates.\n\nChoose your password to log in (the link works for a few days): {{ password_link }}"
             "\n\nIf the link has expired, ask for a new one at {{ new_link_page }}",
        sample={"person_name": "Priya Raman", "program_name": "Riverside Internal Medicine Residency",
                "password_link": "https://mentora.example.org/accounts/password/reset/key/…",
                "new_link_page": "https://mentora.example.org/accounts/password/reset/"},
    ),
    "nudge": EmailKind(
        label="Nudge", when="A coordinator reminds mentees that their learning plan needs attention.",
        placeholders={"person_name": "the mentee's name", "program_name": "the program's name",
                      "what": "what is needed (sign off this year's plan, or hold the overdue review)"},
        subject="{{ program_name }}: your learning plan needs attention",
        body="{{ program_name }} asks you to {{ what }}. Agree it with your mentor and submit it for sign-off.",
        sample={"person_name": "Priya Raman", "program_name": "Riverside Internal Medicine Residency",
                "what": "sign off a learning plan for this year"},
    ),
    "reminder": EmailKind(
        label="Reminder", when="A learning plan's review is due in two weeks, or overdue.",
        placeholders={"person_name": "the person reminded", "program_name": "the program's name",
                      "whose": "“Your learning plan's review” or “<mentee>'s ILP review”",
                      "when": "“is due” or “was due”", "due_date": "the date the review is due"},
        subject="{{ whose }} {{ when }} on {{ due_date }}",
        body="Go through each goal together: keep, revise, refocus, drop or mark it achieved.",
        sample={"person_name": "Priya Raman", "program_name": "Riverside Internal Medicine Residency",
                "whose": "Your learning plan's review", "when": "is due", "due_date": "14 March 2027"},
    ),
}

# No tag libraries, no loaders: `{% load %}`, `{% include %}` and friends cannot reach anything, and
# the node check below refuses every tag the default builtins still parse.
_ENGINE = Engine(libraries={}, loaders=[], autoescape=True, debug=False, string_if_invalid="")


def check_template(text: str, *, kind: str, field: str):
    """The compiled template, or a ValidationError keyed by `field` saying what is not allowed."""
    allowed = EMAIL_KINDS[kind].placeholders
    names = ", ".join("{{ " + name + " }}" for name in allowed)
    try:
        template = _ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        raise ValidationError({field: f"This is not a valid template ({error}). Use only the placeholders "
                                      f"{names}."}) from error
    for node in template.nodelist:
        if isinstance(node, TextNode):
            if any(mark in node.s for mark in ("{{", "}}", "{%", "%}", "{#")):
                raise ValidationError({field: f"A placeholder is not closed or not opened: write them like "
                                              f"{names}."})
            continue
        if isinstance(node, VariableNode):
            expression = node.filter_expression
            variable = getattr(expression.var, "var", None)
            lookups = getattr(expression.var, "lookups", None)
            if expression.filters or lookups is None or len(lookups) != 1 or variable not in allowed:
                shown = expression.token
                raise ValidationError({field: f"“{{{{ {shown} }}}}” is not a placeholder of this email: use "
                                              f"{names}."})
            continue
        raise ValidationError({field: f"Only placeholders are allowed here ({names}), no template tags."})
    return template


def render_email(*, kind: str, subject: str, body: str, values: dict[str, str]) -> tuple[str, str]:
    """(subject, body) with the placeholders filled in, as plain text (not marked safe): a page that
    shows it (the preview) escapes all of it, the coordinator's words and the values alike."""
    allowed = {name: str(values.get(name, "")) for name in EMAIL_KINDS[kind].placeholders}
    rendered = []
    for field, text in (("subject", subject), ("body", body)):
        template = check_template(text, kind=kind, field=field)
        # str.__add__ gives a plain str: the rendering is marked safe, and must not reach a page unescaped.
        rendered.append(str.__add__(template.render(Context(allowed, autoescape=False)), ""))
    return " ".join(rendered[0].split())[:200], rendered[1]


def program_email(*, program_id: int | None, kind: str, values: dict[str, str],
                  templates: dict | None = None) -> tuple[str, str]:
    """The (subject, body) a program sends for `kind`: its own template if it has one, else the default.
    `templates` ({(program_id, kind): EmailTemplate}) lets a scan over many programs look them up once."""
    default = EMAIL_KINDS[kind]
    if templates is not None:
        own = templates.get((program_id, kind))
    else:
        own = EmailTemplate.objects.filter(program_id=program_id, kind=kind).first() if program_id else None
    if own is not None:
        try:
            return render_email(kind=kind, subject=own.subject, body=own.body, values=values)
        except ValidationError:  # saved before a placeholder was withdrawn: the default still goes out
            pass
    return render_email(kind=kind, subject=default.subject, body=default.body, values=values)


def templates_for(*, program_ids, kind: str) -> dict:
    """{(program_id, kind): EmailTemplate} of these programs, in one query."""
    return {(t.program_id, t.kind): t for t in EmailTemplate.objects.filter(program_id__in=set(program_ids) - {None},
                                                                            kind=kind)}
