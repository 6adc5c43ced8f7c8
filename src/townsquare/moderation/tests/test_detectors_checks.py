"""Threats, doxxing, personal attacks, personal data, spam and links: positives and civil negatives."""

import pytest

from townsquare.moderation.detectors import (
    extract_links,
    find_personal_attacks,
    find_personal_data,
    find_spam,
    find_threats,
)
from townsquare.moderation.text import normalise


def found(detector, text):
    return [
        (f.code, f.action, text[f.span[0] : f.span[1]] if f.span else None) for f in detector(normalise(text))
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I will kill you.", "threat"),
        ("Someone should shoot the minister.", "threat"),
        ("Я тебя убью.", "threat"),
        ("Ich bring dich um.", "threat"),
        ("Je vais te tuer.", "threat"),
        ("I know where you live.", "doxxing"),
        ("We'll expose your real name.", "doxxing"),
        ("Ich weiß, wo du wohnst.", "doxxing"),
        ("ya znayu gde ty zhivesh", "doxxing"),
    ],
)
def test_threats_are_rejected(text, code):
    assert [(c, a) for c, a, _ in found(find_threats, text)] == [(code, "reject")]


@pytest.mark.parametrize(
    "text",
    [
        "This tax will kill small businesses.",
        "We should kill this bill.",
        "He threatened to kill her, police said.",
        "I'll find you a source tomorrow.",
        "I will never hurt you.",
        "I know where you are coming from.",
        "The heat is killing me.",
    ],
)
def test_figures_of_speech_and_reports_are_not_threats(text):
    assert found(find_threats, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Nobody with half a brain would write this.",
        "Did you even finish school?",
        "Go take your pills.",
        "You people are all paid trolls.",
        "Learn to read.",
        "Are you really this stupid?",
        "Lern erst mal lesen.",
    ],
)
def test_attacks_on_readers_are_held(text):
    assert [(c, a) for c, a, _ in found(find_personal_attacks, text)] == [("personal_attack", "hold")]


@pytest.mark.parametrize(
    "text",
    [
        "The minister's plan is idiotic.",
        "This policy is a disaster.",
        "The president is clueless about economics.",
        "You make a fair point, I hadn't read the report.",
    ],
)
def test_criticism_of_public_figures_and_ideas_is_not_an_attack(text):
    assert found(find_personal_attacks, text) == []


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("mail me at john.doe@example.com", "email_address", "john.doe@example.com"),
        ("call +49 30 1234567 now", "phone_number", "+49 30 1234567"),
        ("ring 0171 1234567", "phone_number", "0171 1234567"),
        ("+7 (495) 123-45-67", "phone_number", "+7 (495) 123-45-67"),
        ("He lives at 221b Baker Street", "street_address", "221b Baker Street"),
        ("Hauptstraße 12, Berlin", "street_address", "Hauptstraße 12"),
        ("ул. Ленина, д. 5", "street_address", "ул. Ленина, д. 5"),
    ],
)
def test_personal_data_is_held_with_its_span(text, code, words):
    assert found(find_personal_data, text) == [(code, "hold", words)]


@pytest.mark.parametrize(
    "text",
    [
        "In 2024 the score was 3-1.",
        "It costs $1,299.99 or 1.234.567 EUR.",
        "ISBN 978-3-16-148410-0",
        "Art. 5 Abs. 3 GG",
        "on 2024-05-01 at 10:30",
        "I live on Main Street.",
        "Number 10 Downing Street should resign.",
        "auf Platz 3 der Liste",
    ],
)
def test_numbers_that_are_not_personal_data(text):
    assert found(find_personal_data, text) == []


def test_spam_action_follows_the_combined_score():
    assert {a for _, a, _ in found(find_spam, "Check my profile")} == {"hold"}
    assert {a for _, a, _ in found(find_spam, "Earn $500 per day! Contact me on Telegram")} == {"reject"}
    assert {a for _, a, _ in found(find_spam, "THIS COUNCIL NEVER LISTENS TO ANYONE IN THIS TOWN")} == {
        "nudge"
    }
    assert {a for _, a, _ in found(find_spam, "no no no no no no no")} == {"hold"}
    assert {a for _, a, _ in found(find_spam, "🔥" * 25)} == {"hold"}
    assert found(find_spam, "No, no, no. The council must listen!") == []


def test_links_with_and_without_a_scheme():
    text = "See https://Example.com/a?b=1. Or www.spam.ru, bit.ly/x (and en.wikipedia.org/wiki/A_(b))."
    assert [(link.url, link.domain) for link in extract_links(text)] == [
        ("https://Example.com/a?b=1", "example.com"),
        ("www.spam.ru", "spam.ru"),
        ("bit.ly/x", "bit.ly"),
        ("en.wikipedia.org/wiki/A_(b)", "en.wikipedia.org"),
    ]
    assert all(text[slice(*link.span)] == link.url for link in extract_links(text))


def test_things_that_look_like_domains_are_not_links():
    assert extract_links("e.g. this, file.txt, version 3.5, Mr.Smith, a@b.com") == []
