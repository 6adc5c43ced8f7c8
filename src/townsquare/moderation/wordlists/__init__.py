"""Default word lists, one file per language and level: ``{language}.{banned,suspect}.txt``.

Read by ``townsquare.moderation.detectors.wordlist.load_wordlists``; a package so the files ship in the wheel.
"""
