import pytest

from reports.sheet_names import SheetNames


def test_characters_excel_forbids_are_replaced_and_spaces_tidied():
    assert SheetNames().claim("Help: now / later [draft]*?\\") == "Help now later draft"


def test_long_titles_are_shortened_at_a_word_boundary_within_31_characters():
    names = SheetNames()
    assert names.claim("Preparing for a successful future at the earliest opportunity") == (
        "Preparing for a successful"
    )
    assert names.claim("Working with you and your family") == "Working with you and your"
    assert names.claim("One, two, three, four, five, six, seven") == "One, two, three, four, five"


def test_a_title_that_is_one_long_word_is_cut_to_31_characters():
    assert SheetNames().claim("x" * 40) == "x" * 31


def test_a_suffix_always_shows_and_only_the_title_is_shortened():
    names = SheetNames()
    assert names.claim("Being included and taking part", ", Parent or carer") == (
        "Being included, Parent or carer"
    )
    assert names.claim("Being included and taking part", ", Young person") == (
        "Being included, Young person"
    )


def test_names_that_clash_without_regard_to_case_are_numbered_within_31_characters():
    names = SheetNames()
    title = "Access to the right support at the right time"
    assert names.claim(title) == "Access to the right support at"
    assert names.claim(title.upper()) == "ACCESS TO THE RIGHT SUPPORT (2)"
    assert names.claim(title) == "Access to the right support (3)"


def test_excel_s_own_history_name_is_never_handed_out():
    assert SheetNames().claim("History") == "History (2)"


@pytest.mark.parametrize("title", ["", "???", "''"])
def test_a_title_with_nothing_usable_still_gets_a_name(title):
    assert SheetNames().claim(title) == "Sheet"


def test_names_never_start_or_end_with_an_apostrophe():
    assert SheetNames().claim("'Children's services' ") == "Children's services"
    assert SheetNames().claim("x" * 29 + " '" + "y") == "x" * 29
