"""Property tests: no input crashes the text layer, and spans always lie inside the original text."""

# Lookalike letters on purpose.
# ruff: noqa: RUF001

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
