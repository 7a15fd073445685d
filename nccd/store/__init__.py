"""store: a persistent corpus in one SQLite file (DESIGN.md "Storage").

>>> from nccd.store import Store
>>> with Store("corpus.db") as store:              # doctest: +SKIP
...     summary = store.add(["fixtures/seeds"])
...     result = store.result()

The tables open in Datasette or sqlite-utils as they are; see ``schema``.
"""

from .core import AddSummary, Store
from .schema import SCHEMA_VERSION, StoreError

__all__ = ["AddSummary", "SCHEMA_VERSION", "Store", "StoreError"]
