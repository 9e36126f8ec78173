"""Cue words, read in their clause: which level an answer names, and how firmly.

Each clause gets its strongest cue (a qualifier such as "grotendeels" outranks a bare
"ja"; among equals the first one counts). The head clause carries the answer; a contrast
clause ("maar nog niet op papier", "al weet ik niet precies …") can lower or raise it; a
reason clause ("want …") does not change it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkbscan.reading.text import CONTRAST, REASON, Clause, clauses, correct_typos, normalize

Level = int | None  # 0..3, None = "Weet ik niet"

UNKNOWN_CUES = (
    r"(ik )?weet (ik|k|het|t)?( het| t)?( echt| eigenlijk| werkelijk| nu| nog| zo)?"
    r"( niet| nie| niet zo)"
    r"( goed| zeker| precies)?"
    r"|weet niet|weetnie|weet nie|kweenie|kweetnie|wete nie|geen (flauw )?(idee|benul)"
    r"|geen (goed )?(zicht|inzicht|weet|zicht op)|onbekend|navragen|nagaan|uitzoeken"
    r"|moet ik (nog |even |eerst )?(na ?vragen|uitzoeken|checken|nagaan|opzoeken|nakijken)"
    r"|(kan|kun) ik (nog |echt |eigenlijk |helemaal |nu )?(niet|moeilijk|lastig|slecht|geen)"
    r" (goed )?(beoordelen|zeggen|inschatten|oordeel geven)"
    r"|(durf|kan|kun) (ik |je )?(er |daar |hier )?(niks|niets|weinig|geen) (zinnigs )?(over )?"
    r"(te )?zeggen|te vroeg om (het )?(te )?(beoordelen|zeggen|oordelen)"
    r"|(is|werd) (mij|me|ons) nooit (verteld|uitgelegd)|voor mijn tijd|(gaat|gaan) buiten mij om"
    r"|(zou|kan|kun) (het |ik )?(je |u )?(echt )?niet (kunnen )?vertellen"
    r"|(ben|is) (ik |me |mij )?niet zeker( van)?|niet zeker (van|of)|nie zeker"
    r"|(daarvoor|daar|hiervoor) is het (nog )?te vroeg|(nog )?te vroeg (om|voor) (dat|het|iets|te)"
    r"|(moet|zou) ik (eerst |even |nog )?(aan|bij|met) (mijn|m'n|onze) \w+ (na)?vragen"
    r"|vraag (dat|het) (maar )?(aan|bij) (mijn|m'n|onze) \w+"
    r"|niet te (beoordelen|zeggen|overzien)|(moeilijk|lastig) te (zeggen|beoordelen)"
    r"|overslaan|sla (deze |die )?(maar )?over|skip|idk|dunno|no idea|no clue|not sure"
    r"|don'?t know|do not know|(i )?have no idea|geen antwoord|zou (het|ik) niet weten"
    r"|niet bekend|vraag ik me af|twijfel\w*|(ben|is) (me |mij )?(niet )?onduidelijk"
    r"|(is|blijft) (voor )?(mij|me|ons) (nog )?(altijd )?een (groot |compleet )?raadsel"
    r"|geen mening|joost mag het weten|vraag dat (maar )?aan|hangt ervan af"
    r"|weet (mijn|m'n|onze|de|een) (\w+ )?\w+ (veel )?beter|(daar|dat) (gaat|ga) ik niet over"
    r"|(daar|dat) (gaat|doet) (mijn|m'n|onze) \w+|niet mijn (afdeling|terrein|pakkie ?an)"
    r"|zou (het|ik) (echt |eigenlijk |werkelijk )?niet (weten|kunnen zeggen)"
    r"|(is|zijn) (me|mij) (niet|niet zo|totaal niet) (duidelijk|bekend|helder)"
    r"|(kan|kun) (het|ik|je) (echt |eigenlijk )?niet (zeggen|inschatten|beoordelen)"
    r"|(te )?weinig (zicht|inzicht|kijk)|liever niet (beantwoorden|zeggen)|geen kijk op"
    r"|(kan|kun) ik (niks|niets) over zeggen|vraag me (wat )?anders|pass|geen commentaar"
    r"|heb ik (geen|weinig) (idee|zicht|inzicht|weet) van|not known|unsure|can'?t say"
    r"|cannot say|can'?t tell|hard to say|no clue|ik pas|^pas$"
    r"|n ?v ?t|n/v/t|niet van toepassing|not applicable"
)
# (pattern, level, strength). Qualifiers (3+) outrank plain yes/no (1-2).
# "we hebben geen idee wat het kost" says something is unclear (a low level), not "I cannot
# answer"; "ik weet niet of ze dat doen" is a real "weet ik niet".
_NOT_KNOWING_WHAT = (r"(geen (flauw )?(idee|benul|zicht)|weet (ik|we|niemand|men|het)?( het)?"
                     r"( echt| eigenlijk)? niet|weten (we|ze)( het)? niet|onduidelijk) (wat|hoe"
                     r"|welke|wie|waar|wanneer|hoeveel|waarom|wat voor)")
SCALE_CUES: tuple[tuple[str, Level, int], ...] = (
    (_NOT_KNOWING_WHAT, 0, 6),
    (UNKNOWN_CUES, None, 5),
    (r"(helemaal|totaal|absoluut|zeker|echt|nog) niet (zo )?(helemaal|volledig|compleet)"
     r"|op (een |wat |enkele |een paar |kleine |een aantal )?(punten|details|dingen|puntjes"
     r"|zaken|kleinigheden|uitzonderingen|onderdelen)( \w+)? na|niet alles maar wel"
     r"|(bijna|vrijwel|nagenoeg) (helemaal|volledig|alles|compleet)"
     r"|(maar )?wel (veel|grotendeels|het meeste)|min of meer"
     r"|zo goed als(?! (niet|niks|niets|geen|nooit))( wel| alles)?"
     r"|op (de|het) (\w+ ){0,2}na(?![a-z])"
     r"|(nog )?niet (helemaal|volledig|compleet) (rond|af|klaar|vastgelegd|op papier)"
     r"|(nog )?niet (bij )?(iedereen|allemaal|overal|alle \w+)", 2, 4),
    (r"niet (perfect|optimaal|ideaal|prima)", 2, 4),
    (r"volkomen|kraakhelder|glashelder|perfect|uitstekend|prima|tot in de puntjes|openhartig"
     r"|reuze \w+|super (betrokken|open|duidelijk|helder|goed)"
     r"|zeer (goed|open|duidelijk|helder|sterk)", 3, 3),
    # Two negatives make a yes: "er wordt niks achtergehouden", "geen geheimen".
    (r"(niks|niets|geen( \w+)?) (achter ?gehouden|verzwegen|verborgen|geheim gehouden"
     r"|onder de pet)|geen geheimen|(niks|niets) te verbergen|open kaart"
     r"|kaarten (open )?op tafel|(geen|nooit( een)?) (sprake van )?(een )?(overname|fusie"
     r"|machtsspel\w*|kat-en-muis\w*|getouwtrek)|(overname|fusie)( \w+){0,3} (is|was) nooit", 3, 4),
    (r"(helemaal|totaal|absoluut|zeker|compleet|echt|nog) niet|nergens|niks|niets|nooit"
     r"|geen enkele|geen (interesse|sprake|aandacht|tijd|afspraken)"
     r"|not at all|never|nothing|none|no way|nada|noppes|nul", 0, 4),
    (r"onduidelijk|onhelder|ondoorzichtig|unclear|overgeslagen|(er )?niet (aan )?toe ?gekomen"
     r"|evenmin|allesbehalve"
     r"|zonder(?! (problemen|moeite|twijfel|meer|uitzondering|discussie|gedoe))",
     0, 3),
    (r"(bijna|vrijwel|nagenoeg|zo goed als) (niet|niks|niets|geen|nooit)|nauwelijks|amper"
     r"|haast niet|zelden|hardly|barely|rarely", 1, 4),
    (r"niet (echt|zo|heel|erg|veel|vaak)( veel| goed)?|niet helemaal( niet)?|niet volledig"
     r"|niet alles|not really|not fully|not entirely", 1, 3),
    (r"driekwart|drie ?kwart|twee ?derde|tweederde|three quarters|two thirds", 2, 4),
    (r"(een )?kwart|een derde|one third|a quarter|vaag\w*|enkele(n)?|een enkeling", 1, 3),
    (r"(een )?(klein )?(beetje|beetjes|tikje)|deels|gedeeltelijk|voor een (klein )?deel"
     r"|een (klein )?deel|ten dele|enigszins|soms|af en toe|zo nu en dan|een enkele keer"
     r"|informeel|weinig|half|halfjes|de helft|summier|oppervlakkig|matig|mondjesmaat"
     r"|sporadisch|incidenteel|(slechts |alleen |enkel )?(van |aan )(een|1) kant|eenzijdig"
     r"|beperkt|hier en daar"
     r"|een paar keer|ietwat|fifty ?fifty|50 ?/ ?50|(mee )?begonnen|(er )?mee bezig"
     r"|kinderschoenen|eerste stap(pen|je)?|in opbouw|in ontwikkeling|opstart\w*"
     r"|a bit|a little|somewhat|partly|partially|sometimes|kind of|sort of|slightly"
     r"|occasionally|now and then", 1, 3),
    (r"grotendeels|grotendeel|groten deels|(het|een|voor het) (over)?gro(o|ot|te|tere)(ste)? deel"
     r"|merendeels|overwegend|meestal|redelijk|best (wel|veel|goed)|vrij (goed|veel|aardig)"
     r"|aardig|ruim|meer wel dan niet|bijna|vrijwel|nagenoeg|goeddeels|in grote lijnen"
     r"|op hoofdlijnen|besproken|mondeling|de meeste|het meeste|veelal|behoorlijk|vaak"
     r"|regelmatig|geregeld met|meer dan de helft|doorgaans|gewoonlijk|in de regel"
     r"|over het algemeen|vrij (open|duidelijk|helder|sterk|actief)"
     r"|mostly|largely|for the most part|mainly"
     r"|pretty much|often|usually|quite|fairly|most of", 2, 3),
    (r"(ja|jawel|ja hoor|jazeker|yes),? (helemaal|volledig|zeker|absoluut|100)", 3, 3),
    (r"helemaal|volledig|volkomen|compleet|absoluut|zeker|100 ?%|honderd procent|vastgelegd"
     r"|zwart op wit|uiteraard|tuurlijk|natuurlijk|allemaal|alles|perfect|zeer|totaal"
     r"|volop|heel goed|goed geregeld|op papier|geregeld|staat vast|altijd|steeds"
     r"|structureel|elke keer|iedere keer|continu|uitgebreid|heel (open|duidelijk|helder|sterk)"
     r"|fully|completely|totally|definitely"
     r"|absolutely|always|of course|certainly|entirely|100 procent", 3, 2),
    (r"nee|neen|nope|nop|neej|nah|nog niet|niet|no|geen|neuh|nee hoor|nein|nie|not|not yet", 0, 1),
    (r"ja|jawel|jazeker|jep|jup|yes|yep|yeah|ok|oke|okay|klopt|inderdaad|zeker weten|wel|ewa"
     r"|jaja|ja hoor|jaa+|correct|sure|yup|dat wel|dat klopt|zo is het|we did|we do|we have"
     r"|they do|they did|they are|it is|done", 3, 1),
)
COMPILED = tuple((re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"), level, strength)
                 for pattern, level, strength in SCALE_CUES)
# A leading yes or no sets the answer's direction: it outranks a weak content word later
# on ("nee, zij bepalen eigenlijk alles" is no, not "alles").
_LEADING = re.compile(r"^(ja|jawel|jazeker|jep|jup|yes|yep|yeah|klopt|nee|neen|nope|nah|no"
                      r"|neuh|nein)(?![a-z0-9])")
_FILLER_AFTER = re.compile(r"( (eigenlijk|echt|hoor|precies|eerlijk gezegd|helaas|zo|nu))*")
_PERCENT = re.compile(r"(\d{1,3}) ?(%|procent|percent)")
_OUT_OF = re.compile(r"(\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)"
                     r" (op|van|uit|out of)( de)? (\d{1,2}|tien)(?![0-9])")
_WORD_NUMBERS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
                 "acht": 8, "negen": 9, "tien": 10}


@dataclass(frozen=True)
class Cue:
    level: Level
    strength: int
    position: int
    end: int = 0

    def inside(self, other: Cue) -> bool:
        return other.position <= self.position and self.end <= other.end


@dataclass(frozen=True)
class RuleReading:
    level: Level
    strength: int  # of the deciding cue: 1 plain yes/no … 5 "weet ik niet", 6 a number
    conflict: bool = False  # cues that pull two or more levels apart


def level_of_share(share: float) -> int:
    if share >= 0.9:
        return 3
    if share >= 0.6:
        return 2
    if share >= 0.15:
        return 1
    return 0


def _share(norm: str) -> float | None:
    percent = _PERCENT.search(norm)
    if percent and int(percent.group(1)) <= 100:
        return int(percent.group(1)) / 100
    out_of = _OUT_OF.search(norm)
    if out_of:
        part = _WORD_NUMBERS.get(out_of.group(1)) or int(out_of.group(1))
        whole = _WORD_NUMBERS.get(out_of.group(4)) or int(out_of.group(4))
        if 0 < whole <= 10 and part <= whole:
            return part / whole
    return None


def cues_in(text: str) -> list[Cue]:
    found = []
    for pattern, level, strength in COMPILED:
        for match in pattern.finditer(text):
            found.append(Cue(level, strength, match.start(), match.end()))
    leading = _LEADING.match(text)
    if leading:
        yes = leading.group(1) not in ("nee", "neen", "nope", "nah", "no", "neuh", "nein")
        found.append(Cue(3 if yes else 0, 2, 0, leading.end()))
    return found


def strongest(found: list[Cue]) -> Cue | None:
    return max(found, key=lambda cue: (cue.strength, -cue.position), default=None)


def _distance(a: Level, b: Level) -> int:
    return abs((a if a is not None else 0) - (b if b is not None else 0))


def read_clauses(parts: list[Clause]) -> RuleReading | None:
    head: Cue | None = None
    head_cues: list[Cue] = []
    contrasts: list[Cue] = []
    turns: list[Cue] = []  # cues after "maar", "al", "alleen": only these can undo a doubt
    reasons: list[Cue] = []
    gave_up = False  # a later clause that is only "ik weet het niet" ("nooit naar gekeken, …")
    for index, clause in enumerate(parts):
        found = cues_in(clause.text)
        best = strongest(found)
        if best is None:
            continue
        if head is not None and clause.kind != REASON and best.level is None \
                and _FILLER_AFTER.fullmatch(clause.text[best.end:]):
            gave_up = True
        if head is None and clause.kind != REASON and (clause.kind is None or index == 0):
            head, head_cues = best, found
        elif clause.kind == CONTRAST or (clause.kind is None and head is not None):
            contrasts.append(best)
            if clause.kind == CONTRAST:
                turns.append(best)
        else:
            reasons.append(best)
    if head is None:
        # No answer in the main clause: a level in a side clause counts, weakly; a doubt
        # there ("alleen over de IT twijfelen we nog") is no "weet ik niet".
        side = [c for c in contrasts if c.level is not None]
        best = strongest(side)
        if best is None:
            return None  # a reason alone ("omdat het altijd zo ging") is no answer
        return RuleReading(best.level, min(best.strength, 2))
    # Words inside the deciding cue ("nog niet helemaal") are part of it, not a second reading.
    conflict = any(c.strength >= 2 and c.level is not None and head.level is not None
                   and _distance(c.level, head.level) >= 2 and c.strength >= head.strength - 1
                   and not c.inside(head) for c in head_cues)
    level, strength = head.level, head.strength
    if level == 0 and gave_up and strength < 6:
        return RuleReading(None, 5)  # "nooit naar gekeken, dus ik zou het niet weten"
    if level is None:  # "weet ik niet, …": unknown, unless "maar ik denk grotendeels"
        firm = [c for c in turns if c.level is not None and c.strength >= 3]
        if firm:
            return RuleReading(firm[0].level, firm[0].strength, True)
        return RuleReading(None, strength, conflict)
    for cue in contrasts:
        if cue.level is None:
            continue  # "grotendeels wel, al weet ik niet precies …": the answer stands
        if cue.level == 0 and level > 0:
            level = min(level, 2)  # "ja, maar nog niet op papier": lower, not to nothing
            strength = max(strength, 3)
        elif level == 3 and cue.level == 1 and cue.strength < 3:
            level, strength = 2, max(strength, 3)
        elif cue.strength >= 3 and cue.strength >= strength and not (
                level == 0 and cue.level == 3):
            level, strength = cue.level, cue.strength  # "nee, maar wel grotendeels"
        elif level == 0 and cue.level == 3 and cue.strength <= 2:
            pass  # "nee, wel alles geprobeerd": content, not a level
        elif _distance(level, cue.level) >= 2:
            conflict = True
    return RuleReading(level, strength, conflict)


def read_rules(text: str) -> RuleReading | None:
    """The level that the cue words in `text` name, or None if they name none."""
    norm = correct_typos(normalize(text))
    if not norm:
        return None
    share = _share(norm)
    if share is not None:
        return RuleReading(level_of_share(share), 6)
    if re.search(r"(?<![a-z])de helft(?![a-z])", norm) and not re.search(
            r"(meer|minder) dan de helft", norm):
        return RuleReading(1, 4)
    return read_clauses(clauses(norm))
