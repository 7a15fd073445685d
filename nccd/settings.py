"""Settings that change results, validated where they are made."""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: Bumped whenever ``nccd.normalize`` changes what text compares equal.
NORMALIZER_VERSION = "2"


@dataclass(frozen=True)
class Settings:
    """Every knob that changes what nccd reports.

    Parameters
    ----------
    shingle_size:
        Words per shingle used for sketching and candidate search.
    num_perm:
        MinHash permutations per passage.
    seed:
        Seed of the MinHash permutations (datasketch's ``seed``).
    lsh_threshold:
        Jaccard similarity at which ``MinHashLSH`` finds near-duplicate passages.
    min_shared_shingles:
        Passages of different documents sharing at least this many shingles are
        aligned even when their Jaccard similarity is low (clause-level reuse).
    seed_size:
        Words per exact seed when aligning two passages.
    min_words:
        Shortest reused span reported, in words.
    min_similarity:
        Lowest word-level similarity (0..1) of a reported span to its template text.
    max_gap:
        Longest run of unmatched words bridged inside one span.
    link_similarity:
        Lowest similarity at which two documents' stretches are linked into one
        family. Lower than ``min_similarity``: two copies each edited by a force
        differ from each other about twice as much as either differs from the
        template, and families must hold together for their consensus to form.
    min_documents:
        Documents a discovered template family must appear in.
    max_partners:
        Candidate partners aligned per passage (families form through chains of
        links, so a few per passage suffice and the work stays linear).
    max_postings:
        Shingles held by more passages than this are left to the LSH index when
        looking for shared clauses; and a shingle held by more template wordings
        than this is looked up in the longest of them only (boilerplate shingles
        are held by thousands).
    max_variants:
        Wordings kept per template (the most widely held); documents are aligned
        against these.
    max_targets:
        Template wordings a passage is aligned against: those sharing the most
        shingles with it. As a corpus grows, more families hold variations of the
        same national paragraph; the longest match wins anyway, and the work per
        passage must not grow with the corpus.
    target_cover:
        Of those, a wording is aligned only if it shares with the passage a shingle
        that fewer than this many better-sharing wordings (already chosen) share.
        Boilerplate phrases recur in many templates; aligning every one of them
        over the same words only finds the same span again.
    """

    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    lsh_threshold: float = 0.5
    min_shared_shingles: int = 2
    seed_size: int = 2
    min_words: int = 8
    min_similarity: float = 0.75
    max_gap: int = 9
    link_similarity: float = 0.6
    min_documents: int = 2
    max_partners: int = 8
    max_postings: int = 64
    max_variants: int = 8
    max_targets: int = 128
    target_cover: int = 2
    normalizer_version: str = NORMALIZER_VERSION

    def __post_init__(self) -> None:
        _check_int("shingle_size", self.shingle_size, 1, 32, "word 3..9 is usual")
        _check_int("num_perm", self.num_perm, 16, 1024, "128 is usual")
        _check_int("seed", self.seed, 0, 2**32 - 1, "any fixed integer")
        _check_float("lsh_threshold", self.lsh_threshold, 0.05, 1.0)
        _check_int("min_shared_shingles", self.min_shared_shingles, 1, 1000, "2 is usual")
        _check_int("seed_size", self.seed_size, 1, 16, "2 is usual")
        _check_int("min_words", self.min_words, 1, 10_000, "8 is usual")
        _check_float("min_similarity", self.min_similarity, 0.0, 1.0)
        _check_int("max_gap", self.max_gap, 0, 1000, "9 is usual")
        _check_float("link_similarity", self.link_similarity, 0.0, 1.0)
        _check_int("min_documents", self.min_documents, 2, 1_000_000, "2 is usual")
        _check_int("max_partners", self.max_partners, 1, 100_000, "8 is usual")
        _check_int("max_postings", self.max_postings, 2, 10_000_000, "64 is usual")
        _check_int("max_variants", self.max_variants, 1, 100_000, "8 is usual")
        _check_int("max_targets", self.max_targets, 1, 100_000, "128 is usual")
        _check_int("target_cover", self.target_cover, 1, 100_000, "2 is usual")
        if self.normalizer_version != NORMALIZER_VERSION:
            raise ValueError(
                f"normalizer_version={self.normalizer_version!r} but this nccd normalises "
                f"text as version {NORMALIZER_VERSION!r}; results would not be comparable"
            )

    def as_dict(self) -> dict:
        """The settings as a plain, JSON-ready dict."""
        return asdict(self)


def _check_int(name: str, value: object, low: int, high: int, hint: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if not low <= value <= high:
        raise ValueError(f"{name}={value} is outside {low}..{high} ({hint})")


def _check_float(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not low <= float(value) <= high:
        raise ValueError(f"{name}={value} is outside {low}..{high}")
