"""Generated disguises of every banned English word are still caught."""

# Lookalike letters on purpose.
# ruff: noqa: RUF001

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.moderation.detectors import find_words, load_wordlists
from townsquare.moderation.text import normalise

LISTS = load_wordlists(["en"])
BANNED_WORDS = [term.text for term in LISTS.terms if term.level == "banned" and " " not in term.text]
LEET = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "s": "5$", "t": "7+", "b": "8", "g": "9"}
CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"}
SEPARATORS = [" ", ".", "-", "_", "\u200b", "\u200d"]


def leet(word, rng):
    # Two letters stay letters: "n1994" reads as a product code like "A55" (Samsung), which we let through.
    keep = set(rng.sample([i for i, c in enumerate(word) if c.isalpha()], 2))
    # A final "!" or "|" is punctuation ("pak!" is an exclamation), so those only replace inner letters.
    last = len(word) - 1
    return "".join(
        rng.choice(LEET[c].strip("!|") if i == last else LEET[c])
        if c in LEET and i not in keep and rng.random() < 0.5
        else c
        for i, c in enumerate(word)
    )


def lookalikes(word, rng):
    return "".join(CYRILLIC[c] if c in CYRILLIC and rng.random() < 0.5 else c for c in word)


def separated(word, rng):
    separator = rng.choice(SEPARATORS)
    return separator.join(word)


def repeated(word, rng):
    index = rng.randrange(len(word))
    return word[:index] + word[index] * rng.randint(2, 6) + word[index:]


def masked(word, rng):
    if len(word) < 4:
        return word
    index = rng.randrange(1, len(word) - 1)
    return word[:index] + rng.choice("*#") + word[index + 1 :]


def uppercase(word, rng):
    return "".join(c.upper() if rng.random() < 0.5 else c for c in word)


DISGUISES = [leet, lookalikes, separated, repeated, masked, uppercase]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(BANNED_WORDS), st.lists(st.sampled_from(DISGUISES), min_size=1, max_size=2), st.randoms()
)
def test_disguised_banned_words_are_caught(word, disguises, rng):
    disguised = word
    if separated in disguises:
        disguises = [separated]  # spacing combined with other disguises makes a soup nobody can read
    for disguise in disguises:
        disguised = disguise(disguised, rng)
    comment = f"you are a {disguised} and everyone knows it"
    found = find_words(normalise(comment), LISTS)
    assert any(f.code == "banned_word" for f in found), (word, disguised)
    assert all(f.span is not None and comment[f.span[0] : f.span[1]].strip() for f in found)


def test_each_disguise_alone_on_every_banned_word():
    rng = random.Random(7)
    for word in BANNED_WORDS:
        for disguise in DISGUISES:
            disguised = disguise(word, rng)
            found = find_words(normalise(f"so {disguised}!"), LISTS)
            assert any(f.code == "banned_word" for f in found), (word, disguised)
