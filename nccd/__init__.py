"""nccd: find copy-pasted boilerplate across Freedom of Information responses.

>>> import nccd
>>> result = nccd.scan(["fixtures/seeds"])        # doctest: +SKIP
>>> [round(s.reuse, 2) for s in result.scores]    # doctest: +SKIP
"""

__version__ = "0.1.0"

from .compare import Comparison, compare, compare_documents  # noqa: E402
from .model import Document, DocumentScore, Passage, Result, Skipped, Span, Template  # noqa: E402
from .pipeline import run, scan  # noqa: E402
from .settings import Settings  # noqa: E402

__all__ = [
    "__version__", "scan", "run", "compare", "compare_documents", "Settings", "Result",
    "Document", "DocumentScore", "Passage", "Skipped", "Span", "Template", "Comparison",
]
