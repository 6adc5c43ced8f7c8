"""Property tests: no input crashes the text layer, and spans always lie inside the original text."""

# Lookalike letters on purpose.
# ruff: noqa: RUF001

import importlib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townsquare.moderation.detectors import (
    extract_links,
    find_personal_attacks,
    find_personal_data,
    find_spam,
    find_threats,
    find_words,
    load_wordlists,
    wordlist,
)
from townsquare.moderation.text import FORMS, normalise

# Any Unicode, plus text biased towards the characters the normaliser treats specially.
TRICKY = st.text(
    alphabet=st.sampled_from("aeiou fkcsh.-_*#$@!|0134578 \u200b\u0301сухоІ\nİıßﬁ😀+()"), max_size=80
)
ANY_TEXT = st.one_of(st.text(max_size=120), TRICKY)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ANY_TEXT)
def test_normalise_never_crashes_and_maps_every_form(text):
    nt = normalise(text)
    for name in FORMS:
        form = nt.form(name)
        assert len(form.text) == len(form.starts) == len(form.ends) == len(form.spaced)
        for start, end in zip(form.starts, form.ends, strict=True):
            assert 0 <= start < end <= len(text)


@FAST
@given(ANY_TEXT, st.integers(0, 200), st.integers(0, 200))
def test_to_original_is_always_inside_the_text(text, a, b):
    nt = normalise(text)
    for name in FORMS:
        start, end = nt.to_original(name, min(a, b), max(a, b))
        assert 0 <= start <= end <= len(text)


@FAST
@given(ANY_TEXT)
def test_detectors_never_crash_and_spans_lie_in_the_text(text):
    nt = normalise(text)
    findings = [
        *find_words(nt, load_wordlists()),
        *find_personal_data(nt),
        *find_threats(nt),
        *find_personal_attacks(nt),
        *find_spam(nt),
    ]
    for finding in findings:
        assert finding.action in ("reject", "hold", "nudge")
        assert 0.0 <= finding.score <= 1.0
        if finding.span is not None:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)
    for link in extract_links(text):
        assert text[slice(*link.span)] == link.url


ASCII_TEXT = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127), max_size=120),
    st.text(alphabet=st.sampled_from("aeiou fkcsh.-_*#$@!|0134578 \n+()IL"), max_size=80),
)


@FAST
@given(ASCII_TEXT)
def test_the_ascii_shortcuts_change_nothing(text):
    module = importlib.import_module("townsquare.moderation.text.normalise")
    nt = normalise(text)
    # A non-ASCII letter at the end sends the text down the general path; its characters come last.
    folded = module._fold(text + "é")[: len(nt.form("folded").text)]
    assert module._form(folded) == nt.form("folded")
    slow_latin = module._form(module._pipeline(folded, *module.LATIN_STEPS))
    assert slow_latin == nt.form("latin") == nt.form("skeleton")


@FAST
@given(st.one_of(ANY_TEXT, ASCII_TEXT))
def test_word_lists_find_the_same_terms_as_one_big_alternation(text):
    lists = load_wordlists()
    nt = normalise(text)
    found = [(term, span) for term, span in lists.matches(nt)]
    # The reference: every alternative at every place, as the matcher was first written.
    expected: list[tuple[wordlist.Term, tuple[int, int]]] = []
    seen: list[tuple[int, int]] = []
    for name, matcher in lists._matchers.items():
        body = "|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(matcher.alternatives)) or "(?!)"
        bounded = re.compile(rf"(?<!{wordlist._WORD})(?:{body})(?!{wordlist._WORD})")
        form, position, hits = nt.form(name), 0, []
        while (match := bounded.search(form.text, position)) is not None:
            if wordlist._plausible(match.group()):
                hits.append((matcher.terms[int(str(match.lastgroup)[1:])], match.start(), match.end()))
                position = match.end()
            else:
                position = match.start() + 1
        for term, start, end in hits:
            span = nt.to_original(name, start, end)
            if not any(span[0] < e and s < span[1] for s, e in seen):
                seen.append(span)
                expected.append((term, span))
    assert [f for f in found if f in expected] == found  # the spaced-out runs add to, never change, these
    assert all(e in found for e in expected)


ASCII_TEXT = st.one_of(
    st.text(alphabet=st.characters(max_codepoint=127), max_size=120), TRICKY.filter(str.isascii)
)


@FAST
@given(ASCII_TEXT)
def test_the_ascii_shortcut_gives_the_forms_of_the_full_path(text):
    m = importlib.import_module("townsquare.moderation.text.normalise")  # the module, not the function
    assert m._fold(text) == m._fold_clusters(text)
    full = m._form(m._pipeline(m._fold_clusters(text), *m.SKELETON_STEPS))
    assert normalise(text).form("skeleton") == full
