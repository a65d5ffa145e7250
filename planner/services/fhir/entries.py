"""The entries of one bundle as they are written: each resource's id, a reference to it, and the
URLs of our code systems.

Each resource's id is a UUID derived from BASE and our row id, so the same data gives the same
bundle, and the bundle refers to its resources by urn:uuid.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

LOCAL_BASE = "https://planner.local"


def instant(moment: datetime) -> str:
    """A FHIR instant: the moment in UTC, ISO 8601."""
    return moment.astimezone(UTC).isoformat()


def base_url(public_url: str) -> str:
    """Where our code systems are named: [server] public_url without its last slash, else LOCAL_BASE."""
    return public_url.rstrip("/") or LOCAL_BASE


def code_system(base: str, name: str) -> str:
    """The URL of one of our code systems, e.g. https://planner.local/fhir/CodeSystem/outcome-measures."""
    return f"{base}/fhir/CodeSystem/{name}"


class Entries:
    """The resources of one bundle, in the order added, named under `base` (base_url)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.entries: list[dict[str, Any]] = []

    def id(self, resource_type: str, row_id: Any) -> str:
        """The resource's id: a UUID of BASE, its type and our row id (the same every time)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.base}/{resource_type}/{row_id}"))

    def ref(self, resource_type: str, row_id: Any) -> dict[str, str]:
        """A Reference to the resource made from that row, whether it is in the bundle yet or not."""
        return {"reference": f"urn:uuid:{self.id(resource_type, row_id)}"}

    def add(self, resource_type: str, row_id: Any, resource: dict[str, Any]) -> dict[str, str]:
        """Put the resource into the bundle; returns a Reference to it."""
        ref = self.ref(resource_type, row_id)
        resource = {"resourceType": resource_type, "id": self.id(resource_type, row_id), **resource}
        self.entries.append({"fullUrl": ref["reference"], "resource": resource})
        return ref

    def coding(self, system: str, code: str, display: str) -> dict[str, str]:
        """A Coding in one of our code systems (`system`: its name, e.g. "exercises")."""
        return {"system": code_system(self.base, system), "code": code, "display": display}
