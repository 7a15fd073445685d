"""consensus: the wording most copies agree on."""

from __future__ import annotations

import random

from nccd.consensus import Wording, consensus
from nccd.normalize import normalize

ORIGINAL = ("The threat from terrorism cannot be ignored. It is generally recognised that the international "
            "security landscape is increasingly complex and unpredictable, and the threat level is severe.")


def _edited(rng: random.Random, rate: float) -> str:
    words = ORIGINAL.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < rate / 3:
            out.append(rng.choice(["police", "force", "public", "data"]))  # substitute
        elif r < 2 * rate / 3:
            continue  # delete
        elif r < rate:
            out.extend([w, rng.choice(["also", "now", "very"])])  # insert
        else:
            out.append(w)
    return " ".join(out)


def test_majority_recovers_the_original_from_edited_copies():
    rng = random.Random(3)
    copies = [Wording(_edited(rng, 0.15), 1) for _ in range(15)]
    assert all(normalize(c.text).text != normalize(ORIGINAL).text for c in copies[:3])
    assert normalize(consensus(copies)).text == normalize(ORIGINAL).text


def test_few_wordings_keep_the_first():
    copies = [Wording("A b c d e.", 2), Wording("A b x d e.", 1), Wording("A y c d e.", 1)]
    assert consensus(copies) == "A b c d e."


def test_unrelated_wordings_do_not_vote():
    copies = [Wording(ORIGINAL, 1)] + [Wording("Completely different words about nothing at all here.", 3)] * 6
    assert consensus(copies) == ORIGINAL
