"""The order of places a respondent passes through, worked out from the consultation and state.

Places are named by keys, so the order is recomputed from the current consultation file every
time: a question added later is asked where it now stands, a removed one is passed over.
"""

from dataclasses import dataclass, replace

from conversations.buttons import answer_key, question_at
from conversations.model import FINAL_AREA, PROFILE_AREA, Area, Consultation, Question
from conversations.state import State

FINAL = "final"
BEFORE_AREAS = ("reminders", "areas")
"""The places between the profile questions (if any) and the areas' questions."""
AFTER_QUESTIONS = ("outcome", "review")
PROFILE_PLACE = question_at(PROFILE_AREA, "")
"""The start of every profile question's place name."""


@dataclass(frozen=True)
class Asked:
    """A question in its place: the area it belongs to (None for the final question)."""

    at: str
    key: str
    area: Area | None
    question: Question
    number: int
    total: int

    @property
    def profile(self) -> bool:
        """Whether this is a question about who is answering (kept apart, "Prefer not to say")."""
        return self.area is not None and self.area.key == PROFILE_AREA


def chosen_areas(consultation: Consultation, state: State) -> tuple[Area, ...]:
    """The areas the respondent chose that the consultation still has, in the file's order."""
    return tuple(area for area in consultation.areas if area.key in state.areas)


def questions(consultation: Consultation, state: State) -> tuple[Asked, ...]:
    """Every question this respondent will be asked, in order: the profile questions (if the
    consultation has them), those of the areas chosen, and the final one."""
    asked = []
    profile = (consultation.profile,) if consultation.profile else ()
    for area in (*profile, *chosen_areas(consultation, state)):
        shown = area.asked_of(state.audience)
        total = len(shown)
        for number, question in enumerate(shown, start=1):
            at = question_at(area.key, question.key)
            asked.append(
                Asked(at, answer_key(area.key, question.key), area, question, number, total)
            )
    final = consultation.final_question
    asked.append(Asked(FINAL, answer_key(FINAL_AREA, final.key), None, final, 1, 1))
    return tuple(asked)


def find(consultation: Consultation, state: State, at: str) -> Asked | None:
    """The question shown at a place, if that place is a question that still exists."""
    return next((item for item in questions(consultation, state) if item.at == at), None)


def next_place(consultation: Consultation, state: State, after: str) -> str:
    """Where to go once the place `after` is done.

    Questions go in order; before leaving the questions, any question never answered (one added
    to the file since the respondent passed its place) is asked first. Once it is answered the
    respondent carries on from where they were, rather than being asked again the questions
    between it and their place.
    """
    asked = questions(consultation, state)
    places = [item.at for item in asked] + list(AFTER_QUESTIONS)
    first_area = next((n for n, item in enumerate(asked) if not item.profile), 0)
    places[first_area:first_area] = BEFORE_AREAS
    came_from = state.history[-1] if state.history else None
    if after in places and came_from in places and places.index(came_from) > places.index(after):
        return next_place(consultation, replace(state, history=state.history[:-1]), came_from)
    following = places[places.index(after) + 1] if after in places else places[0]
    if FINAL in (after, following):
        missed = next((item.at for item in asked[:-1] if item.key not in state.answers), None)
        if missed is not None and missed != after:
            return missed
    return following


def repaired(consultation: Consultation, state: State) -> State:
    """The state moved off a question that was removed from the file since it was saved."""
    if not state.at.startswith("q:") or find(consultation, state, state.at):
        return state
    asked = questions(consultation, state)
    if state.at.startswith(PROFILE_PLACE) and not state.areas:  # before choosing any areas
        profile = (item.at for item in asked if item.profile and item.key not in state.answers)
        return replace(state, at=next(profile, BEFORE_AREAS[0]))
    missed = next((item.at for item in asked if item.key not in state.answers), FINAL)
    return replace(state, at=missed)
