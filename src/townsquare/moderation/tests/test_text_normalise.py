"""Normalisation: each form sees through one kind of disguise and maps back to the original text."""

# ruff: noqa: RUF001, RUF003

import pytest

from townsquare.moderation.text import normalise


@pytest.mark.parametrize(
    ("original", "skeleton"),
    [
        ("Fuuuuck", "fuuck"),
        ("f u c k", "fuck"),
        ("f.u.c.k", "fuck"),
        ("i-d-i-o-t", "idiot"),
        ("f#ck", "f*ck"),
        ("sh!t!", "shit!"),
        ("a$$h0le", "asshole"),
        ("fu\u200bck", "fuck"),
        ("fuсk", "fuck"),  # Cyrillic с
        ("f̸u̸c̸k̸", "fuck"),  # zalgo marks
        ("ｆｕｃｋ", "fuck"),  # full-width
        ("k|ll", "kill"),
        ("STRASSE Straße", "strasse strasse"),
    ],
)
def test_the_skeleton_sees_through_disguises(original, skeleton):
    assert normalise(original).skeleton == skeleton


@pytest.mark.parametrize(
    "original",
    ["Samsung A55 for $5", "score 3-1 in 2024", "e.g. this", "call +49 30 1234567"],
)
def test_numbers_and_prices_are_not_leetspeak(original):
    assert normalise(original).skeleton == original.lower()


def test_russian_stays_cyrillic_but_has_a_latin_reading():
    nt = normalise("Я тебя убью, сука")
    assert nt.skeleton == "я тебя убью, сука"
    assert nt.latin == "ya tebya ubyu, suka"


def test_a_disguised_english_word_in_cyrillic_letters_is_folded_in_latin_text():
    assert normalise("I said сосk").skeleton == "i said cock"


def test_latin_lookalikes_in_a_cyrillic_word_fold_to_cyrillic():
    assert normalise("xуй").skeleton == "хуй"


def test_armenian_is_kept_and_transliterated():
    nt = normalise("Հայաստան ու Արցախ")
    assert nt.skeleton == "հայաստան ու արցախ"
    assert nt.latin == "hayastan u arts'akh".replace("'", "")


def test_turkish_dotless_i_reads_like_i_in_the_skeleton():
    assert normalise("DIĞA").skeleton == normalise("dığa").skeleton


@pytest.mark.parametrize("form", ["folded", "skeleton", "latin"])
def test_spans_map_back_to_the_original(form):
    original = "Well, f u c k\u200b this sh!t"
    nt = normalise(original)
    text = nt.form(form).text
    start = text.index("this")
    assert original[slice(*nt.to_original(form, start, start + 4))] == "this"
    assert nt.to_original(form, 0, len(text)) == (0, len(original))


def test_an_empty_text_has_empty_forms():
    nt = normalise("")
    assert nt.folded == nt.skeleton == nt.latin == ""
    assert nt.to_original("skeleton", 0, 0) == (0, 0)


def test_a_closing_plus_reads_as_t_before_punctuation_too():
    assert "faggot," in normalise("You are such a faggo+, honestly.").skeleton
    assert "shit day" in normalise("a sh!+ day").skeleton
