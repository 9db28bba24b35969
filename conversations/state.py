"""A respondent's place in a consultation: small, plain and serialisable.

Areas and questions are named by their keys, never by position, so editing a consultation file
while it runs (fixing a typo, adding or removing a question) breaks nobody's progress.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

HISTORY_LIMIT = 60
"""How many earlier places /back remembers; enough for any real consultation."""


@dataclass(frozen=True)
class State:
    """Where one respondent is.

    `at` names the place waiting for input: "consent", "audience", "reminders", "areas",
    "q:<area>/<question>", "final", "outcome", "review", "change", "done" or "declined".
    `answers` maps "<area>/<question>" to the value given (None when skipped). `draft` holds
    the options ticked so far on a multiple-choice message. `reviewing` sends the respondent
    back to the review after changing one answer. `language` is the language the respondent
    chose or consented in (None until then: Telegram's language or the default is used).
    """

    at: str = "consent"
    audience: str | None = None
    source: str | None = None
    areas: tuple[str, ...] = ()
    answers: Mapping[str, str | None] = field(default_factory=dict)
    draft: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    reviewing: bool = False
    wants_reminder: bool | None = None
    wants_outcome: bool | None = None
    language: str | None = None

    def moved_to(self, at: str, **changes: Any) -> "State":
        """The state after moving forward to `at`, remembering where we were for /back."""
        history = (*self.history, self.at)[-HISTORY_LIMIT:]
        return replace(self, at=at, history=history, draft=(), **changes)

    def with_answer(self, key: str, value: str | None) -> "State":
        """The state with one answer set."""
        return replace(self, answers={**self.answers, key: value})

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, for storage."""
        return {  # built directly: dataclasses.asdict deep-copies, and is slow on every save
            "at": self.at,
            "audience": self.audience,
            "source": self.source,
            "areas": self.areas,
            "answers": dict(self.answers),
            "draft": self.draft,
            "history": self.history,
            "reviewing": self.reviewing,
            "wants_reminder": self.wants_reminder,
            "wants_outcome": self.wants_outcome,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "State":
        """Rebuild a state saved with `to_dict`; unknown keys from newer versions are ignored."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        for name in ("areas", "draft", "history"):
            if name in known:
                known[name] = tuple(known[name])
        return cls(**known)
