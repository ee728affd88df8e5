"""What the API docs page shows beside the reference: a table of contents, and one example
request for every operation, made from the OpenAPI document itself so that an example can
never ask for a field the server would refuse or leave out one it requires."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Path parameters become shell variables a reader sets once: {track_id} is $TRACK_ID.
PATH_PARAMETER = re.compile(r"\{(\w+)\}")
SAMPLE_STRINGS = {"date": "2026-12-31", "date-time": "2026-12-31T09:00:00Z", "email": "a@b.org"}
CHANGES = frozenset({"post", "put", "patch", "delete"})


@dataclass(frozen=True)
class Entry:
    method: str
    path: str
    operation_id: str
    summary: str


def contents(document: dict[str, Any]) -> list[tuple[str, list[Entry]]]:
    """The operations grouped by their first tag, in the document's order."""
    groups: dict[str, list[Entry]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            tag = (operation.get("tags") or ["other"])[0]
            entry = Entry(method.upper(), path, operation["operationId"], operation["summary"])
            groups.setdefault(tag, []).append(entry)
    return list(groups.items())


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        return _resolved(document, schema["allOf"][0])
    # An optional object (a nested field that may be null): the example shows the object.
    for key in ("anyOf", "oneOf"):
        options = [item for item in schema.get(key, []) if item.get("type") != "null"]
        if options:
            return _resolved(document, options[0])
    return schema


def sample(document: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A value the schema accepts: required fields only (a first request stays short)."""
    schema = _resolved(document, schema)
    choices = [value for value in schema.get("enum", []) if value is not None]
    if choices:
        return choices[0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        properties = schema.get("properties", {})
        required = schema.get("required") or list(properties)[:1]
        return {name: sample(document, properties[name], depth + 1) for name in required}
    if kind == "array":
        return [sample(document, schema.get("items", {}), depth + 1)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return SAMPLE_STRINGS.get(schema.get("format", ""), "text")


def curl(document: dict[str, Any], path: str, method: str, operation: dict[str, Any]) -> str:
    """The operation as a curl command, with $TOKEN, $ETAG and the path's variables."""
    url = PATH_PARAMETER.sub(lambda found: "$" + found.group(1).upper(), path)
    lines = [f'curl -X {method.upper()} "$REMEDY_URL{url}"']
    if operation.get("security", document.get("security")):
        lines.append('-H "Authorization: Bearer $TOKEN"')
    headers = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}
    if "If-Match" in headers:
        lines.append('-H "If-Match: $ETAG"')
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json")
    if "application/octet-stream" in content and method.lower() in CHANGES:
        # A file as the body (proof of delivery): its bytes, not JSON.
        lines.append('-H "Content-Type: application/octet-stream"')
        lines.append("--data-binary @proof.jpg")
    if body and method.lower() in CHANGES:
        lines.append('-H "Content-Type: application/json"')
        payload = json.dumps(sample(document, body["schema"]), ensure_ascii=False)
        lines.append("-d '" + payload.replace("'", "'\\''") + "'")
    return " \\\n  ".join(lines)
