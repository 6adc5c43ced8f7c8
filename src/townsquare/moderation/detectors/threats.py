"""Threats of violence and doxxing, in English, German, Russian (Cyrillic or transliterated), French, Spanish,
Portuguese, Turkish, Azerbaijani and Armenian (transliterated).

Patterns run on the ``latin`` form: lowercase ASCII with leetspeak undone and Cyrillic or Armenian
transliterated, so "я тебя убью" reads "ya tebya ubyu" and "töten" reads "toten". They need a speaker
acting on a target ("I will kill you", "someone should shoot him"); reported speech and figures of speech
("the policy will kill jobs", "he was shot") do not match.
"""

# This module names lookalike letters of other scripts on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import re

from townsquare.moderation.detectors.base import Finding, excerpt
from townsquare.moderation.text import NormalisedText

_A = r"['’]"  # apostrophe
_I_WILL = rf"\bi(?:{_A}ll| will| shall|{_A}m going to| am going to|{_A}m gonna| am gonna| gonna)"
_WE_WILL = rf"\b(?:i|we)(?:{_A}ll| will|{_A}m going to| am going to|{_A}re going to| are going to| gonna)"
_HARM = (
    r"(?:kill|murder|hurt|stab|shoot|beat|strangle|rape|end|hunt down|come for|slit|burn|break|smash|choke|"
    r"destroy|gut|bury|find)"
)
_TARGET = r"(?:you|u|ya|your (?:family|kids|children|wife|husband|mother|mum|mom|dad)|him|her|them)"
_NOT_A_FAVOUR = r"(?!\s+(?:a|an|the|some|more|one|it|this|that|links?|sources?|proof|data)\b)"
_NOT_AN_IDEA = (
    r"(?!\s+(?:it|off)\b|\s+(?:the|this|that|these)\s+(?:bill|law|idea|plan|policy|project|deal|proposal|"
    r"process|tax|story|thread|debate|motion|scheme|programme|program|rumou?r)\b)"
)

_THREATS = [
    rf"{_I_WILL}\s+(?:(?!never\b|not\b|no\b)\w+\s+){{0,2}}?{_HARM}\s+{_TARGET}\b{_NOT_A_FAVOUR}",
    rf"\b(?:someone|somebody|people|we|they|you)\s+(?:should|must|ought to|needs? to|have to|has to)\s+"
    rf"(?:just\s+)?(?:kill|shoot|hang|stab|lynch|murder|behead|string up|burn|gas)\b{_NOT_AN_IDEA}",
    r"\b(?:hang|shoot|lynch|gas|behead|kill) (?:them all|"
    r"all of them|every (?:last )?one of them|the lot of them)\b",
    r"\b(?:i )?hope (?:you|u|he|she|they) (?:die|dies|get shot|gets shot|get cancer|burn|rot|get raped)\b",
    r"\b(?:you|u) (?:should|deserve to|need to|ought to|will|are going to) (?:be )?"
    r"(?:die|shot|hanged|hung|killed|executed|stabbed|burned|raped)\b",
    rf"\b(?:you{_A}re|you are|ur|you{_A}ll be) (?:dead|dead meat|a dead man|next)\b",
    r"\b(?:watch your back|your days are numbered|sleep with one eye open|go die)\b",
    r"\b(?:a )?bullet (?:in|through|for|into) (?:your|you|his|her|their|every|each|all|them)\b",
    r"\b(?:someone|somebody|people|we|they)\s+(?:should|must|ought to|needs? to)\s+(?:just\s+)?put "
    r"(?:a bullet|a knife|a rope|bullets) (?:in|into|through|around)\b",
    # German
    r"\bich (?:werde|will|wurde) dich (?:\w+ ){0,2}?(?:umbringen|toten|abstechen|erschiessen|abknallen|"
    r"kaltmachen|finden)\b",
    r"\bich (?:bring|bringe|mach|mache) dich (?:um|kalt|fertig)\b",
    r"\bman (?:sollte|muss|musste) (?:ihn|sie|dich|die|den|diese \w+) (?:\w+ ){0,2}?"
    r"(?:erschiessen|aufhangen|hangen|umbringen|vergasen|abknallen|an die wand stellen)",
    r"\b(?:verreck|krepier)(?:e|en)?\b",
    r"\bdu bist (?:tot|ein toter mann)\b",
    # Russian, transliterated
    r"\b(?:ya )?(?:tebya|tebia|vas|tebe) (?:\w+ )?(?:ubyu|ubiu|zarezhu|pristrelyu|pribyu|zakopayu|urovu|"
    r"porezhu|zadushu|naydu|naidu|vychislyu)\b",
    r"\b(?:ubyu|ubiu|zarezhu|pristrelyu|pribyu|zakopayu|zadushu|naydu|naidu|vychislyu) "
    r"(?:tebya|tebia|vas|tvoyu semyu)\b",
    r"\b(?:ty|vy) (?:trup|pokoynik|pokoinik)\b",
    # French, Spanish, Portuguese
    r"\b(?:je vais|on va) te (?:tuer|buter|crever|egorger|defoncer|retrouver)\b",
    r"\bje (?:te|vais te) (?:tue|bute|tuerai|buterai|retrouverai)\b",
    r"\bte (?:voy a matar|mato|matare|voy a encontrar|voy a reventar|voy a pegar un tiro)\b",
    r"\b(?:hay que|deberian|habria que) (?:matar|fusilar|colgar|ahorcar)(?:los|las|lo|la|le)?\b",
    r"\b(?:vou|vamos) te (?:matar|achar|pegar|encontrar)\b",
    # Turkish, Azerbaijani, Armenian
    r"\bseni (?:\w+ )?(?:oldurecegim|oldurcem|oldurecem|olduracam|oldureceyem|gebertecegim|gebertirim|"
    r"oldururum|bulacagim|tapacagam|tapacam)\b",
    r"\b(?:kspanem|ksapanem|spanelu em) (?:qez|kez|dzez)\b|\b(?:qez|kez) (?:kspanem|spanelu em)\b",
]

_DOXXING = [
    r"\bi know where (?:you|u) (?:live|work|sleep|park|shop|go to school|study)\b",
    r"\bi know where (?:your|ur) (?:kids|children|family|wife|"
    r"husband|mother|mum|mom) (?:lives?|goes?|go|are|is|works?)",
    rf"{_WE_WILL} (?:find out|figure out|track down) (?:who (?:you|u) (?:are|really are)|where (?:you|u) "
    r"(?:live|work)|(?:your|ur) (?:real )?(?:name|address|identity|employer))",
    rf"{_WE_WILL} (?:post|publish|share|leak|expose|reveal|dox|doxx|send) (?:your|ur) (?:home )?"
    r"(?:address|real name|name|phone|number|employer|family|workplace|identity|details|photos?)\b",
    rf"{_WE_WILL} (?:dox|doxx|expose|unmask) (?:you|u)\b",
    r"\bi (?:have|know|found) (?:your|ur) (?:home )?(?:address|ip|ip address|real name|phone number)\b",
    # German, Russian, French, Spanish, Turkish, Azerbaijani
    r"\bich weiss,? wo (?:du|ihr) (?:wohnst|wohnt|arbeitest|arbeitet)\b",
    r"\bich (?:finde|kriege) (?:heraus|raus),? wer du bist\b|\bich (?:werde|kenne) deine adresse\b",
    r"\b(?:ya )?znayu,? (?:gde|kuda) (?:ty|vy) (?:zhivesh|zhivete|rabotaesh|rabotaete)\b",
    r"\b(?:ya )?znayu (?:tvoy|vash) adres\b",
    r"\bje sais (?:ou|qui) tu (?:habites|vis|travailles|es)\b",
    r"\bse donde (?:vives|trabajas)\b",
    r"\bnerede (?:oturdugunu|yasadigini|calistigini) biliyorum\b|\bharda (?:yasadigini|isledigini) bilirem\b",
]

_THREAT_RE = re.compile("|".join(f"(?:{p})" for p in _THREATS))
_DOXXING_RE = re.compile("|".join(f"(?:{p})" for p in _DOXXING))


def find_threats(nt: NormalisedText) -> list[Finding]:
    """``threat`` and ``doxxing`` findings (reject), with spans in the original text."""
    findings = []
    for code, pattern, what in (
        ("threat", _THREAT_RE, "Threat or call for violence"),
        ("doxxing", _DOXXING_RE, "Threat to expose someone's identity or whereabouts (doxxing)"),
    ):
        for match in pattern.finditer(nt.latin):
            span = nt.to_original("latin", match.start(), match.end())
            findings.append(Finding(code, f'{what}: "{excerpt(nt, span)}".', span, "reject", 0.9))
    return findings
