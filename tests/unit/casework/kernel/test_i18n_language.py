"""A person's stated language, as Alongside can speak it."""

from casework.kernel.i18n import language_or_english


def test_a_language_we_speak_is_kept_and_any_other_is_english() -> None:
    assert language_or_english("cy") == "cy"
    assert language_or_english("en") == "en"
    assert language_or_english("pl") == "en"  # no Polish catalogue
    assert language_or_english(None) == "en"
    assert language_or_english("") == "en"
