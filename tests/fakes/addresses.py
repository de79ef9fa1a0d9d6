"""The addresses fake for tests: it lives in ``app.sandbox.addresses`` so the installed app
can run it as the local sandbox platform (``alongside sandbox``)."""

from app.sandbox.addresses import (
    AREA_TOWNS,
    COUNTRIES,
    POSTCODE,
    STREETS,
    TOWNS,
    Address,
    AddressBook,
    canonical,
)

__all__ = [
    "AREA_TOWNS",
    "COUNTRIES",
    "POSTCODE",
    "STREETS",
    "TOWNS",
    "Address",
    "AddressBook",
    "canonical",
]
