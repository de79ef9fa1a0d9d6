"""``PaperActions``: the facade's paper forms (``ui.backend_paper.PaperBackend``).

Blank forms need no database. A pre-filled form is one user action: one
write transaction picks the record and takes the ``print`` decision (the
audit entry is written either way and kept: a refusal is raised only after
the transaction commits), then the PDF is laid out outside the transaction
so the database is not held while pages are built. Answers in categories
the decision redacts are never given to the renderer's page.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from casework.kernel.errors import AccessRefused, InvalidInput, NotFound
from casework.kernel.i18n import _, current_language
from casework.kernel.records import Actor
from casework.paper import case_print, files, form
from casework.paper.items import PaperItem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from casework.forms.definitions import Catalogue, Service


class PaperActions:
    """Mixed into ``LocalBackend``."""

    if TYPE_CHECKING:

        def _tx(self, *, write: bool) -> AbstractContextManager[Session]: ...

        def _need_actor(self) -> Actor: ...

        def _service(self, service_id: str) -> Service: ...

        @property
        def catalogue(self) -> Catalogue: ...

    def paper_services(self) -> list[tuple[str, str]]:
        """(service id, title) of every service with a paper form, in the screen's language."""
        language = current_language()
        return [(s.id, s.text("title", language)) for s in self.catalogue.services]

    # -- one form ------------------------------------------------------------------
    def blank_form_pdf(self, service_id: str, language: str, large_print: bool) -> bytes:
        service = self._service(service_id)
        return form.render_form(
            service, form.PaperOptions(language=language, large_print=large_print)
        )

    def _prepared(
        self,
        *,
        language: str,
        large_print: bool,
        case_reference: str | None = None,
        draft_id: int | None = None,
        submission_id: int | None = None,
    ) -> case_print.PaperJob:
        actor = self._need_actor()
        catalogue = self.catalogue
        with self._tx(write=True) as session:
            prepared = case_print.prepare(
                session,
                actor,
                catalogue,
                case_reference=case_reference,
                draft_id=draft_id,
                submission_id=submission_id,
                language=language,
                large_print=large_print,
            )
        # Committed: the decision is in the audit chain whichever way it went.
        if prepared.job is None:
            raise AccessRefused(
                _("You may not print this form: {reason}").format(reason=prepared.refused)
            )
        return prepared.job

    def draft_form_pdf(self, draft_id: int, language: str, large_print: bool) -> bytes:
        """A draft pre-filled (or, once sent, what was sent)."""
        job = self._prepared(draft_id=draft_id, language=language, large_print=large_print)
        return form.render_form(job.service, job.options)

    def case_form_pdf(
        self,
        case_reference: str,
        submission_id: int | None,
        language: str,
        large_print: bool,
    ) -> tuple[bytes, str]:
        """The case's newest form in progress, or the named submission, with a
        suggested file name."""
        job = self._prepared(
            case_reference=case_reference,
            submission_id=submission_id,
            language=language,
            large_print=large_print,
        )
        return form.render_form(job.service, job.options), job.file_name

    def save_pdf(self, data: bytes, path: Path) -> Path:
        """Write the PDF atomically: the whole file, or nothing."""
        return files.write_atomically(path, data)

    # -- many forms ----------------------------------------------------------------
    def paper_batch(
        self, what: str, languages: tuple[str, ...], large_print: bool
    ) -> list[PaperItem]:
        """What a bulk export will write: ``what`` is "blank" (every service) or
        "drafts" (every form in progress in the worker's caseload)."""
        if not languages:
            raise InvalidInput({"languages": _("Choose at least one language.")})
        # (file name stem, service id, draft id or None for a blank form)
        forms: list[tuple[str, str, int | None]]
        if what == "blank":
            forms = [(f"{s.id}-blank", s.id, None) for s in self.catalogue.services]
        elif what == "drafts":
            actor = self._need_actor()
            with self._tx(write=False) as session:
                rows = case_print.caseload_drafts(session, actor)
            forms = [(f"{ref}-{sid}-D{draft_id}", sid, draft_id) for draft_id, ref, sid in rows]
        else:
            raise ValueError(f"unknown batch {what!r}")
        return [
            PaperItem(
                case_print.file_name(stem, language, large_print),
                service_id,
                draft_id,
                language,
                large_print,
            )
            for stem, service_id, draft_id in forms
            for language in languages
        ]

    def paper_item_pdf(self, item: PaperItem) -> bytes:
        if item.draft_id is None:
            return self.blank_form_pdf(item.service_id, item.language, item.large_print)
        return self.draft_form_pdf(item.draft_id, item.language, item.large_print)

    def export_paper_batch(
        self,
        items: list[PaperItem],
        folder: Path,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> tuple[list[Path], list[str]]:
        """Write each item into ``folder`` (each file atomically); stops between
        files when ``cancelled()``; returns (written, problems)."""
        if not folder.is_dir():
            raise NotFound(
                _("The folder {path} does not exist. Nothing was written.").format(path=folder)
            )
        written: list[Path] = []
        problems: list[str] = []
        for done, item in enumerate(items):
            if cancelled():
                break
            try:
                data = self.paper_item_pdf(item)
            except (AccessRefused, NotFound) as exc:
                problems.append(f"{item.file_name}: {exc}")
                progress(done + 1, len(items))
                continue
            if cancelled():  # rendered but not yet written: write nothing
                break
            written.append(files.write_atomically(folder / item.file_name, data))
            progress(done + 1, len(items))
        return written, problems
