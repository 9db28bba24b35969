"""The order of places a respondent passes through, worked out from the consultation and state.

Places are named by keys, so the order is recomputed from the current consultation file every
time: a question added later is asked where it now stands, a removed one is passed over.
"""

from dataclasses import dataclass, replace

from conversations.buttons import answer_key, question_at
from conversations.model import FINAL_AREA, Area, Consultation, Question
from conversations.state import State

FINAL = "final"
AFTER_QUESTIONS = ("outcome", "review")


@dataclass(frozen=True)
class Asked:
    """A question in its place: the area it belongs to (None for the final question)."""

    at: str
    key: str
    area: Area | None
    question: Question
    number: int
    total: int


def chosen_areas(consultation: Consultation, state: State) -> tuple[Area, ...]:
    """The areas the respondent chose that the consultation still has, in the file's order."""
    return tuple(area for area in consultation.areas if area.key in state.areas)


def questions(consultation: Consultation, state: State) -> tuple[Asked, ...]:
    """Every question this respondent will be asked, in order, ending with the final one."""
    asked = []
    for area in chosen_areas(consultation, state):
        total = len(area.questions)
        for number, question in enumerate(area.questions, start=1):
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
    missed = next((item.at for item in asked if item.key not in state.answers), FINAL)
    return replace(state, at=missed)
