"""The service page: the services to choose from, who answers for one, and
this office's figures for it over a period (an audited office-wide read)."""

from __future__ import annotations

from datetime import date

from casework.kernel.action import act
from casework.kernel.errors import NotFound
from casework.kernel.i18n import _
from casework.performance.figures import ServiceFigures, service_figures
from casework.performance.owner import ServiceOwner, owner_for
from ui.backend import Backend
from ui.operations.op import Op, audited, query, with_catalogue


def service_list() -> Op[list[tuple[str, str]]]:
    """(id, title in the worker's language) of every service, by title."""

    def load(b: Backend) -> list[tuple[str, str]]:
        language = b.language
        return sorted(
            ((s.id, s.text("title", language)) for s in b.catalogue.services),
            key=lambda pair: pair[1].casefold(),
        )

    return query(load)


def owner(service_id: str) -> Op[ServiceOwner]:
    """The owning body, this office's facilitator and the public pages."""

    def load(b: Backend) -> ServiceOwner:
        service = b.catalogue.get(service_id)
        if service is None:
            raise NotFound(_("Alongside has no definition for this service."))
        area = b.escalation_settings.default_area
        return b.perform(act(owner_for, service, area), write=False)

    return query(load)


def figures(service_id: str, start: date, end: date) -> Op[ServiceFigures]:
    """This office's figures: audited, so on the write worker."""
    return with_catalogue(
        lambda c: audited(act(service_figures, service_id, start, end, catalogue=c))
    )
