"""The two-party scan's requests read from their words (issue 17), beside the NLU.

The intent model learns from thousands of typed answers about partners, so a message like
"kunnen zij ook meedoen met deze vragenlijst?" looks like an answer to it. Outside an open
scan question there is no answer to give, and these cues say what such a message asks:

- have_code: the writer was invited ("ik heb een code van mijn klant", "uitgenodigd door");
- partner_result: how the partner did ("heeft mijn leverancier al ingevuld", "vergelijking");
- invite_partner: to involve the partner ("kan mijn compagnon dit ook invullen", "nodig uit").

Checked in that order: being invited says more than the word "uitnodiging", and a question
about what the partner did is not a wish to invite them. The words alone are loose ("klaar",
"bedrijf"); the router asks them only where the request fits and the NLU gave no better
intent (mkbscan.dialogue.router.partner_cue).
"""

from __future__ import annotations

import re

from mkbscan.reading.text import normalize

HAVE_CODE, PARTNER_RESULT, INVITE_PARTNER = "have_code", "partner_result", "invite_partner"

# The other company, by what it is to the writer (no pronouns: "is ie al klaar" stays open).
_PARTNER = (r"(partners?|partnerbedrij\w*|compagnon\w*|leverancier\w*|leverncier\w*|klant\w*"
            r"|afnemer\w*"
            r"|ketenpartner\w*|zakenpartner\w*|samenwerkingspartner\w*|firma\w*|bedrijf\w*"
            r"|groothandel\w*|onderaannemer\w*|hoofdaannemer\w*|aannemer\w*|opdrachtgever\w*"
            r"|distributeur\w*|franchise\w*|mede-?oprichter\w*|mede-?eigenaar\w*|maat|maten"
            r"|transporteur\w*|producent\w*|fabrikant\w*|importeur\w*|vennoot|vennoten"
            r"|andere (partij|kant))")
# Received, not given: "mijn klant stuurde me een code", not "ik stuurde mijn klant de code".
_RECEIVED = (r"(gekregen|ontvangen|kreeg|kregen|gehad"
             r"|(stuurde|gaf|gestuurd|gegeven|vroeg) (me|mij|ons)"
             r"|(me|mij|ons) (gestuurd|gegeven|uitgenodigd|gevraagd))")
_INVITED = re.compile(
    rf"\b(uitgenodigd|uitnodiging\w*|code|kode)\b.*\b{_RECEIVED}\b"
    rf"|\b{_RECEIVED}\b.*\b(uitnodiging\w*|code|kode)\b"
    r"|\b(uitgenodigd|gevraagd) (door|van)\b"
    r"|\b(me|mij|ons) (een |de |zijn |haar )?(uitnodiging\w*|code|kode) "
    r"(stuurde|gaf|gestuurd|gegeven|stuurt|geeft)\b"
    r"|\b(door|van) (mijn|m'n|onze|ons|de|het|een) [\w-]+ (uitgenodigd|gevraagd)\b"
    r"|\bmoet(en)? van (mijn|m'n|onze|ons|de|het) [\w-]+\b"
    r"|\b(ik|wij|we) (heb|hebben) (een|de|zijn|haar|hun|mijn) (uitnodigings)?(code|kode)\b"
    r"(?!.*\b(doorgestuurd|gestuurd|gegeven|gedeeld)\b)"
    r"|\b(code|kode|uitnodiging) van (mijn|m'n|onze|ons|de|het|een)\b"
    r"|\b(waar|hoe) (vul|voer|plak|gebruik|typ|tik) (ik|je|we) (\w+ )?(code|kode)\b"
    r"|\b(code|kode) (invoeren|invullen|gebruiken)\b"
    r"|\bben (hier )?(op|via) (een |de )?uitnodiging\b"
    r"|\b(hierheen|hiernaartoe|hier naartoe|doorverwezen|verwezen|gestuurd) (door|van)\b"
    # "mijn compagnon zegt dat ik hier iets moet invullen"
    r"|\b(zegt|zei|vroeg|vraagt|wil|willen|wou) (da|dat) (ik|we|wij) (hier )?(iets |wat )?"
    r"(moet |moeten )?(invul|invullen|in te vullen|doe|doen)\b")
_ABOUT_RESULT = re.compile(
    r"\b(vergelijk\w*|verschil\w*|verschillen|eens zijn|eens|dezelfde lijn|een lijn|zelfde lijn"
    r"|agenda|startsessie|gescoord|scoort|score|scores|geantwoord|ingevuld|ingevult|afgerond"
    r"|afronden|af|klaar|gedaan|begonnen|gestart|binnen|resultaat|resultaten|uitkomst"
    r"|uitslag|antwoorden|gereageerd|reactie|bezig"
    r"|(zie|hoor) (nog )?(niks|niets)|al (iets|wat)|staat er al)\b")
_COMPARISON = re.compile(r"\b(vergelijk\w*|naast (elkaar|die van mij|de mijne)"
                         r"|gezamenlijke uitkomst|verschillen (we|wij|onze|jullie)"
                         r"|agenda voor (de|onze|jullie) startsessie"
                         r"|agenda\b.*\b(overleg|startsessie|kick-?off|samen))\b")
_TO_INVITE = r"\buit( te)? ?no+dig\w*|\bnodig\b.*\buit\b"  # uitnodigen, uit te nodigen, typos
_INVITE = re.compile(
    rf"{_TO_INVITE}|\b(code|kode|link|uitnodiging\w*) voor\b"
    r"|\b(doorsturen|door te sturen|doorsturen|sturen|stuur|delen|deel)\b"
    r"|\b(ook|mee)\b.*\b(invullen|in te vullen|invult|doen|doet|meedoen|mee doen|mee te doen"
    r"|deelnemen|deel te nemen|beantwoorden|beantwoordt|maken|maakt)\b"
    r"|\blaten (invullen|meedoen|deelnemen|doen|beantwoorden)\b"
    r"|\b(betrekken|erbij (halen|hebben)|erbij)\b|\bdezelfde vragen\b")
# "kunnen zij ook meedoen?", "kan de drukkerij dit ook invullen?": someone else, named by a
# pronoun or any noun, doing it too (not "kan ik de scan ook op mijn telefoon doen").
_TOO = (r"\book\b.*\b(invullen|in te vullen|invult|doen|doet|meedoen|mee doen|mee te doen"
        r"|deelnemen|deel te nemen|beantwoorden|beantwoordt)\b")
_THEY_TOO = re.compile(rf"\b(hij|zij|ze|die|(de|het|onze|ons|mijn|m'n|hun) [\w-]+)\b.*{_TOO}")
# "heeft de bakker het al ingevuld?", "is hij al klaar?": someone else's progress, however
# named, but not the own scan, report or result ("is mijn rapport al klaar?").
_DONE = (r"(ingevuld|ingevult|gedaan|klaar|afgerond|begonnen|gestart|bezig|geantwoord|gescoord"
         r"|gereageerd)")
_THEY_DID = re.compile(rf"\b(heeft|hebben|is|zijn)\b (hij|zij|ze|die|(de|het|onze|ons|mijn|m'n"
                       rf"|hun) (?!scan|rapport|uitslag|vragenlijst|test|resultaat|score|link"
                       rf"|code|mail|vraag|vragen)[\w-]+)\b.*\b{_DONE}\b")
# "ze zegt dat ze het gedaan heeft", "of die code al gebruikt is", "ik heb de installateur
# uitgenodigd, staat er al iets?": the writer invited, and asks what came of it.
_THEY_HAVE_DONE = re.compile(rf"\b(hij|zij|ze|die)\b.*\b{_DONE} (heeft|hebben|is)\b"
                             r"|\b(code|link|uitnodiging)\b.*\b(gebruikt|geopend|aangeklikt)\b")
_INVITED_THEM = re.compile(r"\b(heb|had|hebben)\b.*\buitgenodigd\b")
_I_TOO = re.compile(r"\b(kan|kunnen|mag|mogen|moet|moeten|zou|zouden|wil|willen) (ik|we|wij)\b")


def partner_request(text: str) -> str | None:
    """Which two-party request the words make, or None."""
    norm = normalize(text).replace(" , ", " ")
    partner = re.search(rf"\b{_PARTNER}\b", norm) is not None
    if _INVITED.search(norm):
        return HAVE_CODE
    if _wish_to_involve(norm):
        return INVITE_PARTNER  # "kan die dezelfde vragen krijgen, zodat we kunnen vergelijken?"
    if _COMPARISON.search(norm) or _THEY_DID.search(norm) or _THEY_HAVE_DONE.search(norm) or (
            (partner or _INVITED_THEM.search(norm)) and _ABOUT_RESULT.search(norm)
            and not _present_wish(norm)):
        return PARTNER_RESULT
    if (partner and _INVITE.search(norm)) or (_THEY_TOO.search(norm) and not _I_TOO.search(norm)) \
            or re.search(_TO_INVITE, norm):
        return INVITE_PARTNER
    return None


def _wish_to_involve(norm: str) -> bool:
    """ "Hoe kan de aannemer dit ook doen? Wil graag zien of we het eens zijn": someone else
    doing the scan too, asked as a wish, not as progress ("heeft hij het al gedaan")."""
    return re.search(r"\b(kan|kunnen|mag|mogen|hoe)\b", norm) is not None \
        and re.search(r"\b(al|heeft|hebben)\b", norm) is None \
        and (re.search(r"\bdezelfde vragen\b", norm) is not None
             or (_THEY_TOO.search(norm) is not None and not _I_TOO.search(norm)))


def _present_wish(norm: str) -> bool:
    """ "Kan mijn klant dit ook invullen", not "heeft mijn klant het al ingevuld"."""
    return re.search(r"\b(kan|kunnen|mag|mogen|wil|willen|zou|zouden|laten|hoe)\b", norm) \
        is not None and re.search(r"\b(heeft|hebben|is|zijn|al)\b", norm) is None
