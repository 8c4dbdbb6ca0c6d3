"""cleaner: find and repair the damage in OCR'd newspaper text dumps.

Pipeline: decode → rules → resolve/apply → articles → report.
"""

__version__ = "0.1.0"

from .api import Cleaner, FileResult, clean_documents, clean_text  # noqa: E402
from .engine import FixResult  # noqa: E402
from .model import AppliedEdit, Edit, Finding  # noqa: E402

__all__ = [
    "AppliedEdit",
    "Cleaner",
    "Edit",
    "FileResult",
    "Finding",
    "FixResult",
    "__version__",
    "clean_documents",
    "clean_text",
]
