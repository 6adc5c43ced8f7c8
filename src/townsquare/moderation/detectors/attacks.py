"""Personal attacks on another reader, even without rude words.

Every pattern needs a second-person target ("you", "your", "du", "ты", "tu"...), so criticism of a public
figure or an idea ("the minister's plan is idiotic") never matches. Patterns run on the ``latin`` form.
"""

# This module names lookalike letters of other scripts on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import re

from townsquare.moderation.detectors.base import Finding, excerpt
from townsquare.moderation.text import NormalisedText

_A = r"['’]"
_YOU_ARE = rf"(?:you{_A}re|you are|ur|u r|youre|you must be|you{_A}re clearly|you are clearly|are you)"
_DIM = (
    r"(?:stupid|dumb|thick|dense|braindead|brain dead|clueless|ignorant|pathetic|delusional|brainwashed|"
    r"simple[- ]minded|illiterate|uneducated|a clown|a joke|an? (?:troll|shill|bot|sheep|npc))"
)

_ATTACKS = [
    r"\b(?:nobody|no one|no-one|anyone) with (?:half a brain|a brain|an ounce of sense|a functioning brain|"
    r"two brain cells|any sense)\b",
    r"\bdid (?:you|u) (?:even )?(?:finish|go to|pass|attend|"
    r"graduate(?: from)?) (?:school|high school|primary "
    r"school|kindergarten|elementary)\b",
    r"\b(?:go|have you) (?:take|taken|took) (?:your|ur) (?:pills|meds|medication|medicine)\b",
    r"\byou people (?:are|r) (?:all )?(?:just )?(?:paid |russian |western |kremlin |soros )?"
    r"(?:trolls|shills|bots|idiots|sheep|puppets|propagandists)\b",
    rf"\byou people (?:are|r) (?:all )?(?:so |just |really |truly )?{_DIM}\b",
    # "you stupid ...", aimed at the reader addressed
    r"\b(?:you|u) (?:stupid|dumb|brainless|ignorant|pathetic|clueless|worthless) (?:\w+ ){0,2}?"
    r"(?:\w+er|idiot|fool|moron|troll|clown|dog|pig|rat|loser|sheep|nobody)\b",
    r"\bgo back to (?:your|ur) (?:village|country|cave|mountains?|hole|tribe|own country|desert)\b",
    rf"\b(?:learn (?:how )?to read|can(?:{_A}t|not)? (?:you|"
    r"u) (?:even )?read|do (?:you|u) even (?:read|know how to read)|"
    r"(?:your|ur) reading comprehension)\b",
    rf"\b(?:are|r) (?:you|u) (?:really|actually|seriously|just|always) (?:this|that|so) {_DIM}",
    rf"\b{_YOU_ARE} (?:really |so |too |just |clearly |obviously |such an? |utterly |completely )*{_DIM}\b",
    r"\bhow (?:stupid|dumb|thick|dense|clueless) (?:are|can) (?:you|u)\b",
    r"\b(?:your|ur) (?:tiny|little|small|pea|smooth|two cell|single cell) brain\b",
    r"\b(?:who let you (?:near|use|have) a keyboard|"
    r"crawl back (?:under|into) (?:your|ur|the) (?:rock|hole|cave))",
    r"\b(?:go back to|back to) (?:school|kindergarten|primary school|your basement|your mom)\b",
    r"\bhow much (?:are|is|do) (?:they|the kremlin|soros|moscow|"
    r"kyiv|the government|they) (?:paying|pay) (?:you|u)\b",
    r"\b(?:stick to|go back to) (?:your day job|colou?ring books?|crayons)\b",
    r"\bdo (?:you|u) even (?:speak|understand) (?:english|german|basic)\b",
    r"\b(?:get a life|touch grass|get a job),? (?:you|loser)\b|\b(?:you|ur) (?:loser|pathetic little)\b",
    r"\b(?:are|were) (?:you|u) (?:dropped on (?:your|ur) head|born (?:this|that) stupid)\b",
    # German
    r"\b(?:lern|lernen sie) (?:erst ?mal |mal )?lesen\b|\bkannst du (?:uberhaupt |nicht )?lesen\b",
    r"\b(?:nimm|nehmen sie) (?:mal )?(?:deine|ihre) (?:tabletten|pillen|medikamente)\b",
    r"\bhast du (?:uberhaupt |je )?(?:die )?schule (?:abgeschlossen|beendet|besucht)\b",
    r"\bdu bist (?:wirklich |so |echt )?(?:dumm|blod|strohdumm|hirnlos|ein troll|ein bot)\b",
    r"\bihr (?:seid|alle) (?:doch )?(?:alle )?(?:bezahlte )?(?:trolle|bots|schafe)\b",
    # Russian (transliterated), French, Spanish
    r"\b(?:ty|vy) (?:voobshche |hot )?(?:chitat umeesh|shkolu zakonchil|tupoy|tupoi|bot|trol)\b",
    r"\bapprends a lire\b|\btu sais (?:meme )?lire\b|\bva prendre tes (?:medocs|medicaments|pilules)\b",
    r"\baprende a leer\b|\bsabes leer\b|\bte (?:has )?tomado (?:las|tus) pastillas\b",
]

_ATTACK_RE = re.compile("|".join(f"(?:{p})" for p in _ATTACKS))


def find_personal_attacks(nt: NormalisedText) -> list[Finding]:
    """``personal_attack`` findings (hold) for insults aimed at another reader."""
    findings = []
    for match in _ATTACK_RE.finditer(nt.latin):
        span = nt.to_original("latin", match.start(), match.end())
        text = f'Attacks another reader rather than their argument: "{excerpt(nt, span)}".'
        findings.append(Finding("personal_attack", text, span, "hold", 0.7))
    return findings
