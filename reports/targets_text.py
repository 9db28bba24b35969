"""Progress towards the targets in staff's words: for /stats, and the XLSX's standing column.

One line per group, short enough to read on a phone: how many of how many, and where it stands
("Under-represented: 150 needed by now"). Every sentence comes from the staff locale file.
"""

from datetime import timedelta

from conversations.targets import TargetKind
from conversations.window import Phase
from reports.targets import Standing, TargetProgress, WhoAnswered
from reports.wording import StaffWords, share

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def target_lines(who: WhoAnswered, words: StaffWords) -> str:
    """The /stats section: the time left, a line per target, and what the flag means."""
    lines = [words.say("targets_title"), time_line(who, words)]
    shown = None
    for row in who.progress:
        heading = who.heading(row)
        if heading is not None and heading != shown:
            lines.append(heading)
        shown = heading
        lines.append(target_line(who, row, words))
    if who.under_represented:
        lines.append(words.say("targets_rule"))
    return "\n".join(lines)


def time_line(who: WhoAnswered, words: StaffWords) -> str:
    """When it closes, how long is left and how much of the time has gone."""
    pace = who.pace
    match pace.phase:
        case Phase.CLOSED:
            return words.say("targets_time_closed", closes=who.closes)
        case Phase.NOT_OPEN:
            return words.say("targets_time_not_open")
    left = pace.closes_at - pace.now
    if left >= 2 * DAY:
        left_words = words.say("time_left_days", count=left // DAY)
    elif left >= 2 * HOUR:
        left_words = words.say("time_left_hours", count=left // HOUR)
    else:
        left_words = words.say("time_left_little")
    return words.say("targets_time", closes=who.closes, left=left_words, gone=share(pace.time_gone))


def target_line(who: WhoAnswered, row: TargetProgress, words: StaffWords) -> str:
    """One target: "- Young person: 120 of 300 started (40%). On track"."""
    target = row.target
    counting = words.say(f"counting_{target.counting.value}")
    if target.at_least is not None:
        return words.say(
            "target_people",
            group=who.label(row),
            so_far=f"{row.so_far:,}",
            aim=f"{target.at_least:,}",
            counting=counting,
            percent=share(row.of_target or 0.0),
            standing=standing_words(row, words),
        )
    assert target.share_at_least is not None
    return words.say(
        "target_share",
        group=who.label(row),
        share=share(row.share or 0.0),
        base=share_base(target.kind, words),
        so_far=f"{row.so_far:,}",
        aim=share(target.share_at_least),
        standing=standing_words(row, words),
    )


def share_base(kind: TargetKind, words: StaffWords) -> str:
    """Whom a share is of, for a target of this kind."""
    return words.say(f"share_base_{kind.value}")


def standing_words(row: TargetProgress, words: StaffWords) -> str:
    """Where the group stands; an under-represented count says how many are needed by now."""
    if row.standing is Standing.UNDER and row.needed_now is not None:
        return words.say("standing_under_needed", needed=f"{row.needed_now:,}")
    return words.say(f"standing_{row.standing.value}")
