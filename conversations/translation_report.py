"""What `consultbot check` says about a consultation's languages."""

from conversations.model import Consultation


def translation_report(consultation: Consultation) -> tuple[list[str], bool]:
    """Lines about each language (drafts, missing and stale translations) and whether it fails.

    Every missing or out-of-date translation is listed with its file, key and language: a
    language only partly translated must not go live silently.
    """
    names = consultation.language_names
    offered = ", ".join(f"{code} ({names.get(code, code)})" for code in consultation.languages)
    lines = [f"Languages: {offered}; {consultation.languages[0]} is the default"]
    gaps = consultation.translation_gaps
    for gap in gaps:
        if not gap.blocking:
            lines.append(f"Note: {gap}")
    blocking = [gap for gap in gaps if gap.blocking]
    for code in consultation.languages[1:]:
        mine = [gap for gap in blocking if gap.language == code]
        missing = sum(gap.restamp is None for gap in mine)
        if mine:
            lines.append(
                f"{names.get(code, code)} ({code}): {missing} missing, "
                f"{len(mine) - missing} not marked as matching the English:"
            )
            lines += [f"  {gap}" for gap in mine]
        else:
            lines.append(f"{names.get(code, code)} ({code}): every text is translated")
    return lines, bool(blocking)
