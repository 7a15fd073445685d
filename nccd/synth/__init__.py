"""Synthetic corpora of police NCND responses with known ground truth.

>>> from nccd.synth import SynthSettings, generate
>>> summary = generate("/tmp/corpus", SynthSettings(documents=100, seed=1))  # doctest: +SKIP

Responses copy passages from a bank of template wording in three lineages
(:mod:`nccd.synth.bank`), edited word by word, around bespoke requests and
answers; labels record every span's role, whether it is reused and from which
bank passage (see :mod:`nccd.synth.document` for the labelling rules).
"""

from .bank import BANK, LINEAGES, Passage, canonical, passage
from .corpus import FORCES
from .generate import SynthSettings, SynthSummary, generate

__all__ = ["generate", "SynthSettings", "SynthSummary", "BANK", "LINEAGES", "Passage", "passage", "canonical",
           "FORCES"]
