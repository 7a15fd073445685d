"""The fast paths of the template stage give exactly what the plain ones give.

``build_templates`` ranks wordings from per-fragment facts found for all
families at once, normalises texts many to a call (``Normalizer``) and tallies
consensus votes in runs. Each is held here to a direct implementation, the way
the stage was first written, on corpora built from the awkward pieces responses
hold: hard-wrapped copies, placeholders, addresses, hyphenated line breaks,
passages of several roles, many wordings of one paragraph.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel, Levenshtein

from nccd.align import Vocabulary
from nccd.cluster import Fragment
from nccd.consensus import Normalizer, Wording, consensus
from nccd.model import ROLES, Document, Template, Variant
from nccd.normalize import normalize
from nccd.template import Corpus, build_template, build_templates

PIECES = [
    "a", "Harm", "public", "word-", "-", "-\n", "\n", "\n\n", "\r", " ", "\t", "\x00", "'", "’", "(", "[", "]",
    "[name", "removed]", "[email address]", "@", "foi@police.uk", "x@", "@y.org", "http://a.b/c", "http",
    "www.", "www.e.org", "isnt", "isn't", "on-going", "infra-\nstructure", "é", "😀", "\ud800", ".", ",",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, max_size=12))
def test_normalising_many_texts_at_once_is_normalising_each(texts):
    normalizer = Normalizer()
    normalizer.fill(texts)
    for text in [*texts, "late-", "Late\nText"]:  # the last two not filled
        found, expected = normalizer(text), normalize(text)
        assert found.words == expected.words and found.original == text
        assert found.starts.tolist() == expected.starts.tolist() and found.ends.tolist() == expected.ends.tolist()
        assert normalizer.comparison(text) == expected.text


# The stage as first written: one family at a time, every wording of every fragment.

def reference_consensus(wordings, max_wordings=64, min_similarity=0.5):
    used = list(wordings[:max_wordings])
    pivot = normalize(used[0].text)
    if len(used) < 5 or not len(pivot):
        return used[0].text
    vocab = Vocabulary()
    pivot_ids = vocab.ids(pivot.words)
    votes = [Counter({i: used[0].weight}) for i in pivot_ids]
    inserts = [Counter() for _ in range(len(pivot_ids) + 1)]
    surface, total = {}, used[0].weight
    for w in used[1:]:
        words = normalize(w.text)
        ids = vocab.ids(words.words)
        if Indel.normalized_similarity(pivot_ids, ids) < min_similarity:
            continue
        total += w.weight
        for k, i in enumerate(ids):
            surface.setdefault(i, words.original[int(words.starts[k]) : int(words.ends[k])])
        for op in Levenshtein.opcodes(pivot_ids, ids):
            if op.tag == "equal" or (op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start):
                for p, q in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
                    votes[p][ids[q]] += w.weight
                continue
            if op.tag in ("delete", "replace"):
                for p in range(op.src_start, op.src_end):
                    votes[p][None] += w.weight
            if op.tag in ("insert", "replace"):
                inserts[op.src_start][tuple(ids[op.dest_start : op.dest_end])] += w.weight

    def inserted(counter):
        if not counter:
            return []
        words, weight = max(counter.items(), key=lambda kv: (kv[1], kv[0]))
        return [] if 2 * weight <= total else [surface[i] + " " for i in words]

    text, starts, ends = pivot.original, pivot.starts, pivot.ends
    out = [text[: int(starts[0])]]
    for p, own in enumerate(pivot_ids):
        out.extend(inserted(inserts[p]))
        nxt = int(starts[p + 1]) if p + 1 < len(pivot_ids) else len(text)
        sep = text[int(ends[p]) : nxt]
        winner = max(votes[p].items(), key=lambda kv: (kv[1], kv[0] == own))[0]
        if winner is None:
            out.append("\n" * sep.count("\n"))
        else:
            out.append(text[int(starts[p]) : int(ends[p])] if winner == own else surface[winner])
            out.append(sep)
    out.extend(inserted(inserts[len(pivot_ids)]))
    return "".join(out).strip()


def reference_id(text):
    return "t" + hashlib.sha1(normalize(text).text.encode("utf-8")).hexdigest()[:10]


def reference_template(family, corpus, max_variants):
    wordings, role_words = defaultdict(list), Counter()
    for f in family:
        doc, words = corpus.documents[f.doc], corpus.words[f.doc]
        start, end = words.char_span(f.start, f.end)
        wordings[" ".join(words.words[f.start : f.end])].append((doc, doc.text[start:end]))
        role_words.update((*ROLES, "other")[r] for r in corpus.roles[f.doc][f.start : f.end])  # kept as numbers
    ranked = sorted(wordings.items(), key=lambda kv: (
        -len({d.id for d, _ in kv[1]}), all("\n" in t for _, t in kv[1]), -len(kv[0]), kv[0]))
    variants = [Variant(min(h, key=lambda x: ("\n" in x[1], x[0].id, x[1]))[1], tuple(sorted({d.id for d, _ in h})))
                for _, h in ranked]
    agreed = reference_consensus([Wording(v.text, len(v.documents)) for v in variants])
    if normalize(agreed).text not in wordings:
        variants.insert(0, Variant(agreed, ()))
    variants = tuple(variants[:max_variants])
    members = sorted({corpus.documents[f.doc].id: corpus.documents[f.doc] for f in family}.items())
    seen = sorted(w for w in (d.date or (str(d.year) if d.year else None) for _, d in members) if w)
    return Template(
        id=reference_id(variants[0].text), text=variants[0].text,
        role=max(ROLES, key=lambda r: (role_words[r], -ROLES.index(r))),
        documents=tuple(k for k, _ in members), forces=tuple(sorted({d.force for _, d in members if d.force})),
        first_seen=seen[0] if seen else None, last_seen=seen[-1] if seen else None, variants=variants)


def reference_merge(x, y, max_variants):
    holders, texts = defaultdict(set), {}
    for v in x.variants + y.variants:
        key = normalize(v.text).text
        texts[key] = min(texts.get(key, v.text), v.text, key=lambda t: ("\n" in t, t))
        holders[key].update(v.documents)
    first = normalize(x.text).text
    rest = sorted((k for k in holders if k != first), key=lambda k: (-len(holders[k]), "\n" in texts[k], k))
    seen = sorted(s for s in (x.first_seen, x.last_seen, y.first_seen, y.last_seen) if s)
    return Template(
        id=x.id, text=texts[first], role=max((x, y), key=lambda t: (len(t.documents), t.role)).role,
        documents=tuple(sorted(set(x.documents) | set(y.documents))),
        forces=tuple(sorted(set(x.forces) | set(y.forces))),
        first_seen=seen[0] if seen else None, last_seen=seen[-1] if seen else None,
        variants=tuple(Variant(texts[k], tuple(sorted(holders[k]))) for k in [first, *rest])[:max_variants])


def reference_templates(families, corpus, max_variants):
    by_id = {}
    for family in families:
        t = reference_template(family, corpus, max_variants)
        by_id[t.id] = reference_merge(by_id[t.id], t, max_variants) if t.id in by_id else t
    return [by_id[k] for k in sorted(by_id)]


# Corpora: responses made of edited copies of a few paragraphs, families of their copies.

WORDS = ("the force will neither confirm nor deny that it holds information relevant to your request "
         "as the duty in section 1 does not apply by virtue of the following exemptions").split()
ODD = ["\n", "(", "‘", "’", ".", ",", "[name removed]", "http://x.org/a", "foi@police.uk", "isn't", "isnt",
       "on-going", "infra-\nstructure", "Harm", "HARM", "word-\nnext", "\x00"]


def _paragraph(rng: random.Random, base: list[str], rate: float) -> str:
    out = []
    for w in base:
        r = rng.random()
        if r < rate / 3:
            out.append(rng.choice(WORDS + ODD))
        elif r < 2 * rate / 3:
            continue
        elif r < rate:
            out.extend([w, rng.choice(WORDS + ODD)])
        else:
            out.append(w)
    return rng.choice([" ", " ", "\n"]).join(out) or "empty"


def _corpus(seed: int) -> tuple[Corpus, list[list[Fragment]]]:
    rng = random.Random(seed)
    bases = [[rng.choice(WORDS) for _ in range(rng.randint(3, 25))] for _ in range(4)]
    docs, words, roles, held = [], [], [], defaultdict(list)
    for i in range(rng.randint(6, 30)):
        paragraphs = [(b, _paragraph(rng, bases[b], rng.choice([0, 0, 0.1, 0.4]))) for b in
                      rng.sample(range(len(bases)), rng.randint(1, len(bases)))]
        text, spans = "", []
        for b, p in paragraphs:
            spans.append((b, len(text), len(text) + len(p)))
            text += p + "\n\n"
        doc_id = f"d{i if rng.random() > 0.1 else 0}"  # now and then two documents share an id
        docs.append(Document(id=doc_id, path=f"{i}.txt", text=text, force=rng.choice([None, "", "F1", "F2"]),
                             date=rng.choice([None, f"20{10 + i % 9}-01-02"]), reference=None, title=None,
                             sha256=str(i), year=rng.choice([None, 2015])))
        words.append(normalize(text))
        role = [rng.choice([*ROLES, "other"]) for _ in spans]
        row = ["answer"] * len(words[-1])
        for (b, s, e), r in zip(spans, role):
            lo, hi = np.searchsorted(words[-1].starts, (s, e)).tolist()
            row[lo:hi] = [r] * (hi - lo)
            if hi > lo:
                held[b].append(Fragment(i, lo, hi))
        roles.append(row[: len(row) - rng.choice([0, 0, 0, 2])])  # now and then fewer roles than words
    families = [f for f in held.values() if len(f) > 1]
    families += [f[: len(f) // 2] for f in held.values() if len(f) > 3]  # same wording: families merge
    for _ in range(3):  # fragments that cross passages and roles
        family = []
        for d in rng.sample(range(len(docs)), min(3, len(docs))):
            s = rng.randrange(len(words[d]))
            family.append(Fragment(d, s, rng.randint(s + 1, len(words[d]))))
        families.append(sorted(family))
    rng.shuffle(families)
    return Corpus(docs, words, roles), families


@pytest.mark.parametrize("seed", range(40))
def test_templates_are_those_built_one_family_at_a_time(seed):
    corpus, families = _corpus(seed)
    max_variants = [1, 2, 8, 70][seed % 4]
    expected = reference_templates(families, corpus, max_variants)
    assert build_templates(families, corpus, max_variants) == expected
    assert build_template(families[0], corpus, max_variants) == reference_template(families[0], corpus, max_variants)


def test_families_built_in_several_stages_merge_as_in_one(monkeypatch):
    corpus, families = _corpus(7)
    expected = reference_templates(families, corpus, 8)
    monkeypatch.setattr("nccd.template._CHUNK", 2)
    assert build_templates(families, corpus, 8) == expected


@pytest.mark.parametrize("max_variants", [8, 100])
def test_a_family_of_many_wordings_ranks_as_when_every_one_is_keyed(max_variants):
    # 80 wordings held by two documents each, 80 by one: the first 64 need no key for the rest.
    rng = random.Random(5)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))) for _ in range(160)]
    texts = [sentences[i // 2] if i < 160 else sentences[i - 80] for i in range(240)]
    texts = [t.replace(" ", "\n", 1) if i % 7 == 0 else t for i, t in enumerate(texts)]
    docs = [Document(id=f"d{i:03}", path="", text=t, force=None, date=None, reference=None, title=None, sha256="")
            for i, t in enumerate(texts)]
    words = [normalize(t) for t in texts]
    corpus = Corpus(docs, words, [["legal"] * len(w) for w in words])
    family = [Fragment(i, 0, len(w)) for i, w in enumerate(words)]
    expected = reference_templates([family], corpus, max_variants)
    assert build_templates([family], corpus, max_variants) == expected


@pytest.mark.parametrize("seed", range(60))
def test_consensus_tallies_as_counting_each_vote(seed):
    rng = random.Random(seed)
    base = [rng.choice(WORDS) for _ in range(rng.randint(1, 30))]
    copies = [Wording(_paragraph(rng, base, rng.choice([0.1, 0.3, 0.6])), rng.randint(1, 3))
              for _ in range(rng.randint(5, 70))]
    assert consensus(copies) == reference_consensus(copies)
    normalizer = Normalizer()
    normalizer.fill(c.text for c in copies)
    assert consensus(copies, normalized=normalizer) == reference_consensus(copies)
