"""The API's published version: ``info.version`` of the OpenAPI document and the
``API-Version`` header of every answer.

Semantic versioning of the contract, not of Remedy: the minor number grows when the
document gains something (an operation, a field, a documented rule or answer), the major
one when a client written for the old document could break. Every version has its entry
under "API" in CHANGELOG.md (a test checks it), so a change to the contract says what
changed.
"""

from __future__ import annotations

from typing import Any

API_VERSION = "1.1.0"
API_VERSION_HEADER: dict[str, Any] = {
    "API-Version": {
        "description": "The version of this document the server follows (see CHANGELOG.md).",
        "required": True,
        "schema": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+\.[0-9]+$"},
    }
}
