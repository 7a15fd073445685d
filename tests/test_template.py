"""template: families → Templates with stable ids, canonical wording, variants, roles."""

from __future__ import annotations

from nccd.cluster import Fragment
from nccd.model import Document
from nccd.normalize import normalize
from nccd.template import Corpus, build_templates, template_id, user_template

HARM = "Any disclosure under FOI is a release to the public at large and to all of its members."


def _doc(i: int, text: str, force: str, date: str) -> Document:
    return Document(id=f"d{i}", path=f"{i}.txt", text=text, force=force, date=date, reference=None,
                    title=None, sha256=str(i), year=int(date[:4]))


def _corpus(texts, roles="ncnd"):
    docs = [_doc(i, t, f"Force {i % 2}", f"20{10 + i}-01-0{i + 1}") for i, t in enumerate(texts)]
    words = [normalize(d.text) for d in docs]
    return Corpus(docs, words, [[roles] * len(w) for w in words]), words


def test_canonical_is_the_most_held_wording_and_variants_list_the_rest():
    texts = [HARM, HARM, HARM.replace("large", "big"), "Intro words here. " + HARM]
    corpus, words = _corpus(texts)
    family = [Fragment(i, 0 if i < 3 else 3, len(w)) for i, w in enumerate(words)]
    [t] = build_templates([family], corpus)
    assert t.text == HARM and t.role == "ncnd"
    assert t.variants[0].documents == ("d0", "d1", "d3")
    assert [v.documents for v in t.variants[1:]] == [("d2",)]
    assert t.documents == ("d0", "d1", "d2", "d3") and t.forces == ("Force 0", "Force 1")
    assert (t.first_seen, t.last_seen) == ("2010-01-01", "2013-01-04")
    assert t.id == template_id(HARM) and t.id.startswith("t") and len(t.id) == 11


def test_ids_depend_on_wording_only():
    assert template_id(HARM) == template_id(HARM.upper().replace(".", "!"))
    assert template_id(HARM) != template_id(HARM.replace("public", "people"))


def test_families_with_the_same_wording_merge_and_order_is_by_id():
    corpus, words = _corpus([HARM, HARM, HARM, "Other text entirely, long enough to be a family of its own."] * 1)
    a = [Fragment(0, 0, len(words[0])), Fragment(1, 0, len(words[1]))]
    b = [Fragment(1, 0, len(words[1])), Fragment(2, 0, len(words[2]))]
    templates = build_templates([b, a], corpus)
    assert len(templates) == 1 and templates[0].documents == ("d0", "d1", "d2")


def test_role_is_the_role_of_most_words():
    texts = [HARM, HARM]
    docs = [_doc(i, t, "F", "2019-01-01") for i, t in enumerate(texts)]
    words = [normalize(t) for t in texts]
    n = len(words[0])
    roles = [["letter"] * 3 + ["request"] * (n - 3), ["request"] * n]
    [t] = build_templates([[Fragment(0, 0, n), Fragment(1, 0, n)]], Corpus(docs, words, roles))
    assert t.role == "request"


def test_a_hard_wrapped_copy_is_not_the_canonical_text():
    wrapped = HARM.replace(" the public", "\n\nthe public")
    corpus, words = _corpus([wrapped, HARM])
    [t] = build_templates([[Fragment(0, 0, len(words[0])), Fragment(1, 0, len(words[1]))]], corpus)
    assert t.text == HARM


def test_user_template():
    t = user_template("templates/national harm.txt", "Balance Test\n\n" + HARM)
    assert t.source == "user" and t.name == "national harm" and t.id.startswith("u")
    assert t.variants[0].text == t.text and t.documents == ()
