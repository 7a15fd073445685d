"""Keys: new documents aligned against the templates they can meet get what they get against all."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest

import nccd
from nccd.align import Vocabulary
from nccd.align.keys import template_keys, text_key
from nccd.align.targets import TemplateIndex
from nccd.ingest.documents import ingest
from nccd.pipeline import lookup_keys, read_templates
from nccd.synth import SynthSettings, generate


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """Templates discovered in 120 generated responses, and 40 more responses."""
    root = tmp_path_factory.mktemp("keys")
    generate(root, SynthSettings(documents=160, seed=21))
    documents, _ = ingest([root / "docs"], manifest=str(root / "manifest.csv"))
    old, new = documents[:120], documents[120:]
    return nccd.run(old).templates, new


def meeting(templates, documents, settings):
    """The templates holding a key the documents look up, as a store picks them."""
    index = TemplateIndex(templates, Vocabulary(), settings.shingle_size, settings.max_postings)
    holders = defaultdict(set)
    for key, template_id in template_keys(index, settings.min_words):
        holders[key].add(template_id)
    wanted = set().union(*(holders.get(k, ()) for k in lookup_keys(documents, settings)))
    return [t for t in templates if t.id in wanted]


@pytest.mark.parametrize("settings", [nccd.Settings(), nccd.Settings(max_postings=2)], ids=["default", "capped"])
def test_the_templates_met_give_the_spans_every_template_gives(split, settings):
    templates, new = split
    # The store keeps no document lists for the templates it reads for an add: none holds a new document.
    subset = [dataclasses.replace(t, documents=(), variants=tuple(dataclasses.replace(v, documents=())
                                                                  for v in t.variants))
              for t in meeting(templates, new, settings)]
    assert 0 < len(subset) < len(templates)
    every = nccd.run(new, settings, templates=templates, discover=False)
    met = nccd.run(new, settings, templates=subset, discover=False)
    assert met.spans == every.spans and len(every.spans) > 100
    assert met.scores == every.scores


def test_a_short_passage_meets_a_template_of_its_exact_words(tmp_path):
    heading = tmp_path / "heading.txt"
    heading.write_text("Neither confirm nor deny\n", encoding="utf-8")
    response = tmp_path / "response.txt"
    response.write_text("Dear Sir,\n\nNeither confirm nor deny\n\nWe hold no other information about drones "
                        "that falls within the scope of your request.\n", encoding="utf-8")
    (template,) = read_templates([heading])
    documents, _ = ingest([response])
    settings = nccd.Settings()
    keys = lookup_keys(documents, settings)
    assert text_key("neither confirm nor deny") in keys and text_key("x") < 0
    assert meeting([template], documents, settings) == [template]
    spans = nccd.run(documents, settings, templates=[template], discover=False).spans
    assert [documents[0].text[s.start:s.end] for s in spans] == ["Neither confirm nor deny"]
