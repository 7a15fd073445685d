"""Word-level edits that a force makes when it copies template text.

Each word of a copied paragraph is edited with probability ``rate``: half the
edits substitute a plausible word (a synonym where one is listed), a quarter
insert a filler word after it, a quarter delete it. Edit positions are drawn as
geometric gaps, so the cost is one random draw per edit rather than per word.
"""

from __future__ import annotations

import math
import random

# Synonyms for words common in the bank; a substitution keeps the sentence
# readable, as a force's own rewording would.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "would": ("could", "might", "will"), "could": ("would", "might", "may"), "may": ("might", "could"),
    "might": ("may", "could"), "will": ("would", "shall"), "must": ("should", "has to"),
    "information": ("data", "material", "detail"), "criminals": ("offenders",), "offenders": ("criminals",),
    "police": ("force", "constabulary"), "force": ("police", "service"), "service": ("force",),
    "public": ("community", "people"), "confirm": ("acknowledge", "state"), "deny": ("refute",),
    "held": ("kept", "retained", "recorded"), "any": ("all", "some"), "other": ("further", "additional"),
    "further": ("other", "additional"), "relevant": ("related", "pertinent"), "request": ("enquiry", "application"),
    "harm": ("damage", "prejudice"), "damage": ("harm", "prejudice"), "risk": ("danger", "threat"),
    "tactics": ("methods", "techniques"), "methods": ("tactics", "techniques"), "techniques": ("methods",),
    "activity": ("activities", "conduct"), "activities": ("operations", "actions"),
    "operations": ("deployments", "activities"), "operational": ("tactical",), "national": ("domestic",),
    "security": ("safety",), "interest": ("concern",), "strong": ("compelling", "powerful"),
    "important": ("significant",), "importance": ("significance",), "highest": ("greatest", "utmost"),
    "show": ("reveal", "demonstrate"), "reveal": ("disclose", "show"), "disclose": ("reveal", "release"),
    "weaken": ("undermine", "erode"), "undermine": ("weaken", "compromise"), "compromise": ("undermine",),
    "use": ("deployment", "application"), "used": ("deployed", "employed"), "deploy": ("use", "employ"),
    "covert": ("secret", "undercover"), "capability": ("capacity",), "capabilities": ("abilities", "capacities"),
    "parts": ("areas", "regions"), "areas": ("parts", "regions"), "exists": ("is held",), "exist": ("be held",),
    "steps": ("measures", "action"), "measures": ("steps", "arrangements"), "terrorists": ("extremists",),
    "terrorist": ("extremist",), "groups": ("organisations", "gangs"), "widely": ("generally", "well"),
    "several": ("many", "various"), "many": ("several", "numerous"), "more": ("greater", "further"),
    "the": ("this", "that"), "this": ("the", "that"), "that": ("which", "this"), "and": ("as well as", "plus"),
    "or": ("and",), "of": ("about", "concerning"), "in": ("within", "across"), "is": ("remains",),
    "are": ("remain",), "be": ("become",), "also": ("additionally",), "therefore": ("thus", "consequently"),
    "however": ("nevertheless",), "because": ("since", "as"), "where": ("if", "when"), "if": ("where", "when"),
    "exemptions": ("provisions",), "exemption": ("provision",), "response": ("reply", "answer"),
    "decision": ("outcome", "finding"), "review": ("reconsider", "assess"), "unhappy": ("dissatisfied",),
    "threat": ("danger", "risk"), "level": ("rating", "status"), "crime": ("offending", "criminality"),
    "prevention": ("reduction",), "detection": ("investigation",), "investigations": ("enquiries", "inquiries"),
    "future": ("later", "subsequent"), "increase": ("raise", "heighten"), "protect": ("safeguard", "defend"),
    "safeguarding": ("protecting", "preserving"), "considered": ("assessed", "examined"),
    "complex": ("complicated",), "sustained": ("continuing", "persistent"), "published": ("issued", "released"),
    "current": ("present", "existing"), "currently": ("presently", "now"), "greater": ("better", "fuller"),
    "understanding": ("knowledge", "awareness"), "spent": ("used", "allocated"), "money": ("funds", "funding"),
    "funds": ("money", "resources"), "entitled": ("right",), "know": ("understand", "learn"),
    "particular": ("specific", "certain"), "specific": ("particular", "certain"), "allow": ("enable", "let"),
    "enable": ("allow", "help"), "act": ("legislation",), "duty": ("obligation",),
    "applicant": ("requester", "requestor"), "motives": ("reasons", "intentions"), "world": ("public",),
    "reasons": ("grounds",), "favour": ("support",), "balance": ("weighing",), "test": ("exercise", "assessment"),
    "write": ("respond", "reply"), "received": ("logged", "registered"), "dealt": ("handled",),
    "thank": ("thanks",), "unpredictable": ("uncertain",), "accepted": ("acknowledged", "recognised"),
    "recognised": ("acknowledged", "accepted"), "transparency": ("openness",), "openness": ("transparency",),
}
# When a word has no listed synonym, a word of the same apparent kind (guessed
# from its ending) keeps the edit plausible rather than random.
_BY_ENDING: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ly", ("clearly", "generally", "particularly", "directly", "currently")),
    ("ing", ("providing", "holding", "using", "revealing", "confirming")),
    ("ed", ("used", "held", "given", "recorded", "considered")),
    ("s", ("matters", "measures", "details", "areas", "methods", "activities")),
)
_SHORT: tuple[str, ...] = ("the", "a", "of", "to", "in", "on", "for", "by", "as")
_OTHER: tuple[str, ...] = ("matter", "measure", "detail", "area", "approach", "relevant", "specific", "wider")
_FILLERS: tuple[str, ...] = ("also", "further", "clearly", "potentially", "currently", "therefore", "indeed",
                             "simply", "still", "generally", "often", "directly", "any", "specific", "relevant")


def edit_words(text: str, rng: random.Random, rate: float) -> str:
    """``text`` with each word edited with probability ``rate``.

    Parameters
    ----------
    text:
        One paragraph: words separated by single spaces, no newlines.
    rng:
        The document's random generator (the only source of randomness).
    rate:
        Edit probability per word, ``0 <= rate < 1``.

    Returns
    -------
    str
        The edited paragraph, still single-spaced and never empty.
    """
    if rate <= 0.0:
        return text
    words = text.split(" ")
    count = len(words)
    log_keep = math.log1p(-rate)
    out: list[str] = []
    done = 0
    at = _gap(rng, log_keep)
    while at < count:
        out.extend(words[done:at])
        word = words[at]
        draw = rng.random()
        if draw < 0.25 and at > 0 and count > 3 and word[-1:].isalnum():
            pass  # delete; the first word and punctuation-bearing words stay to keep sentences whole
        elif draw < 0.5:
            out.append(word)
            out.append(_FILLERS[int(rng.random() * len(_FILLERS))])
        else:
            out.append(substitute(word, rng))
        done = at + 1
        at += 1 + _gap(rng, log_keep)
    out.extend(words[done:])
    return " ".join(out)


def substitute(word: str, rng: random.Random) -> str:
    """A plausible replacement for ``word``, keeping its punctuation and capitals."""
    start, end = 0, len(word)
    while end > 0 and not word[end - 1].isalnum():
        end -= 1
    while start < end and not word[start].isalnum():
        start += 1
    core = word[start:end]
    if not core or not core.isalpha():
        return word  # numbers and citations ("24(2)") are left alone
    lower = core.lower()
    options = _SYNONYMS.get(lower) or _guess(lower)
    new = options[int(rng.random() * len(options))]
    if new == lower:
        new = options[(options.index(new) + 1) % len(options)] if len(options) > 1 else _OTHER[0]
    if core[0].isupper():
        new = new.upper() if core.isupper() and len(core) > 1 else new[0].upper() + new[1:]
    return word[:start] + new + word[end:]


def _guess(lower: str) -> tuple[str, ...]:
    if len(lower) <= 3:
        return _SHORT
    for ending, options in _BY_ENDING:
        if lower.endswith(ending):
            return options
    return _OTHER


def _gap(rng: random.Random, log_keep: float) -> int:
    """Words to skip before the next edit: geometric with success probability ``1 - exp(log_keep)``."""
    return int(math.log(1.0 - rng.random()) / log_keep)
