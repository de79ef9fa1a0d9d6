"""Plain helpers for building test input (no fixtures)."""

from __future__ import annotations

from casework.kernel.records import PersonInput


def person_input(**changes: object) -> PersonInput:
    """A valid person, with any field replaced."""
    values: dict[str, object] = {
        "given_name": "Nia",
        "family_name": "Pritchard",
        "ni_number": "AB 12 34 56 C",
        "nhs_number": "943 476 5919",
        "postcode": "cf10 1aa",
        "email": "nia@Example.COM",
        "phone": "+44 7700 900982",
        "address": "1 Stryd Fawr\nCardiff",
    }
    values.update(changes)
    return PersonInput(**values)  # type: ignore[arg-type]
