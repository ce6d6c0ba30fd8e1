"""Read an edited list file (the CSV or XLSX export) back: which programs stay, which go, and
the application statuses and dates (events the application tracker can import).

``read_list(path)`` never raises for a bad file: every problem is in ``problems`` (file, sheet,
row, column, what is allowed), and a caller applies nothing while there is one.
"""

from __future__ import annotations

from .read import read_list, read_list_bytes
from .types import ImportedList, ListProblem

__all__ = ["ImportedList", "ListProblem", "read_list", "read_list_bytes"]
