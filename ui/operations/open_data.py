"""Open data: export the office's weekly figures into a folder, and send them
to a service owner (asked for, or, by an administrator, sent).

The export's office-level read is audited, so it runs on the write worker;
the three files are written after it, each whole or not at all
(``casework.performance.open_data_files``). Cancel is asked between the
read and the writing: a cancelled export writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from casework.kernel.action import act
from casework.kernel.errors import AlongsideError
from casework.kernel.i18n import _
from casework.performance import open_data, open_data_files, open_data_send
from ui.backend import Backend
from ui.operations.op import Changes, Op, audited_read, write

OUTBOX = Changes(outbox=True)


class ExportCancelled(AlongsideError):
    """The worker cancelled the export before anything was written."""


def export_open_data(
    start: date,
    end: date,
    folder: Path,
    language: str,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> Op[open_data.OpenData]:
    """Count, check Cancel, then write the three files; answers what was written."""

    def run(b: Backend) -> open_data.OpenData:
        progress(0, 2)
        data = b.perform(
            act(open_data.export_open_data, start, end, catalogue=b.catalogue), write=True
        )
        progress(1, 2)
        if cancelled():
            raise ExportCancelled(_("Cancelled. Nothing was written."))
        open_data_files.write_open_data(folder, data, language)
        progress(2, 2)
        return data

    return audited_read(run)


def request_send(start: date, end: date, email: str) -> Op[int]:
    """Ask an administrator to send the open data to ``email``; nothing is queued."""
    return audited_read(
        lambda b: b.perform(act(open_data_send.request_send, start, end, email), write=True)
    )


def send_directly(start: date, end: date, email: str) -> Op[str]:
    """An administrator sends it now: one email queued in the outbox."""

    def run(b: Backend) -> str:
        template = b.route_settings.email_template_id
        return b.perform(
            act(open_data_send.send_directly, start, end, email, template, catalogue=b.catalogue),
            write=True,
        )

    return write(run, OUTBOX)


def pending_sends() -> Op[list[open_data_send.SendRequest]]:
    """The requests waiting for an administrator."""
    return audited_read(lambda b: b.perform(act(open_data_send.pending_sends), write=True))


def approve_send(number: int) -> Op[str]:
    """Approve a waiting request: one email queued in the outbox."""

    def run(b: Backend) -> str:
        template = b.route_settings.email_template_id
        return b.perform(
            act(open_data_send.approve_send, number, template, catalogue=b.catalogue),
            write=True,
        )

    return write(run, OUTBOX)
