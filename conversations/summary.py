"""A one-screen summary of a consultation, for staff checking a file before it goes live."""

from datetime import datetime

from conversations.model import Consultation, Kind
from conversations.targets import TargetKind
from conversations.window import Phase, Window, in_words


def describe(consultation: Consultation, now: datetime) -> str:
    """Areas, questions per audience and the dates in words."""
    window = Window(consultation.opens_at, consultation.closes_at)
    zone = consultation.timezone
    opens = in_words(window.opens_at, zone) if window.opens_at else "as soon as the bot starts"
    phase = {
        Phase.NOT_OPEN: "not open yet",
        Phase.OPEN: "open now",
        Phase.CLOSED: "closed",
    }[window.phase(now)]
    lines = [
        f"{consultation.title} ({consultation.id})",
        f"Opens:  {opens}",
        f"Closes: {in_words(window.closes_at, zone)} ({zone.key}); {phase}",
        f"Audiences: {', '.join(a.key for a in consultation.audiences)}",
        f"Areas ({len(consultation.areas)}):",
    ]
    for area in consultation.areas:
        kinds = ", ".join(question.kind.value for question in area.questions)
        lines.append(f"  {area.key}: {len(area.questions)} questions ({kinds})")
    profile = consultation.profile
    if profile is not None:
        kinds = ", ".join(question.kind.value for question in profile.questions)
        lines.append(
            f"About you (kept apart in exports): {len(profile.questions)} questions ({kinds})"
        )
    total = sum(len(area.questions) for area in consultation.areas) + 1
    free_text = sum(
        question.kind is Kind.TEXT for area in consultation.areas for question in area.questions
    )
    for audience in consultation.audiences:
        about = len(profile.asked_of(audience.key)) if profile else 0
        lines.append(
            f"Questions for {audience.key}: up to {total + about} (including the last one"
            + (f" and {about} about them)" if about else ")")
        )
    lines.append(f"Free-text questions: {free_text}, plus the last question")
    lines.append(_targets(consultation))
    controllers = (
        ", ".join(consultation.data_controllers)
        or f"{consultation.organisation} (as no data_controllers are named)"
    )
    lines.append(f"Data controllers: {controllers}")
    full = consultation.privacy_notice_full
    lines.append(
        f"Full privacy notice: {len(full)} characters"
        if full
        else "Full privacy notice: none (only the plain one is shown)"
    )
    return "\n".join(lines)


def _targets(consultation: Consultation) -> str:
    """The targets in one line, as the file says them."""
    if not consultation.targets:
        return "Targets: none (add [[targets]] to see who is under-represented in /stats)"
    described = []
    for target in consultation.targets:
        group = f"{target.kind.value} {target.key}" + (f" {target.answer}" if target.answer else "")
        if target.at_least is not None:
            aim = f"{target.at_least} {target.counting.value}"
        else:
            each = " each answer" if target.kind is TargetKind.PROFILE and not target.answer else ""
            aim = f"{target.share_at_least:.0%} or more of those who {target.counting.value}"
            group += each
        if target.among:
            group += f" among {', '.join(target.among)}"
        described.append(f"{group}: {aim}")
    return f"Targets ({len(described)}): " + "; ".join(described)
