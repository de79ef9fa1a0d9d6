"""The nation a person and a case are in: one place every nation rule asks.

Fees (``casework.forms.fees``), the version of a service
(``casework.forms.versions``), the facilitator ladder and its bank holidays
(``casework.escalation``) all take the nation from here, so they never
disagree. The rule is ``casework.kernel.nations``: the country the address
lookup returned for the person's postcode (read from the lookup's cache, no
network) wins; else the postcode district. At a border district the case's
own service settles it when it serves only one of the two nations (the worker
chose Concessionary Travel Wales for an SY10 address: the case is in Wales);
otherwise the likelier nation stands, marked uncertain.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework.forms.definitions import Service
from casework.kernel.models import Person
from casework.kernel.nations import Evidence, Placement, place_postcode
from casework.kernel.records import Actor
from offline_sync.address.known import known_country


def place_of_postcode(session: Session, postcode: str | None) -> Placement | None:
    """Where ``postcode`` is: the looked-up country when the cache has it, else the
    district rule (None when there is no UK postcode)."""
    return place_postcode(postcode, known_country(session, postcode))


def postcode_place(session: Session, actor: Actor, postcode: str | None) -> Placement | None:
    """``place_of_postcode`` as an action for the screens (it reads only the
    address cache, no one's record)."""
    return place_of_postcode(session, postcode)


def place_of_case(
    session: Session, person: Person | None, service: Service | None = None
) -> Placement | None:
    """Where a case is: its person's postcode, settled by its service at a border."""
    placement = place_of_postcode(session, person.postcode if person is not None else None)
    if placement is None or not placement.uncertain or service is None:
        return placement
    served = [n for n in placement.candidates if n in service.nations]
    if len(served) == 1:
        return Placement(served[0], Evidence.SERVICE)
    return placement
