"""After an assisted session is wiped, `alongside audit verify` still finds
the chain intact (the wipe deletes the person, never an audit entry)."""

from __future__ import annotations

from app.backend import LocalBackend
from app.demo import people as demo_people
from app.paths import ProfilePaths
from app.profile import create_profile
from delegation.mandates import SAFEGUARDING_QUESTIONS
from delegation.records import AssistedStart
from tests.e2e.test_cli import Cli, cli
from ui.operations import cases as cases_ops
from ui.operations import mandates as mandates_ops

__all__ = ["cli"]


def test_audit_verify_passes_after_a_wipe(cli: Cli) -> None:
    profile = create_profile(ProfilePaths(cli.profile), key=bytes.fromhex(cli.key))
    try:
        demo_people.ensure_workers(profile.engine)
        backend = LocalBackend(profile)
        backend.sign_in("amira", demo_people.DEMO_PASSWORD)
        started = mandates_ops.start_assisted_session(
            AssistedStart(
                given_name="Isolde",
                family_name="Marchbanks",
                service_id="blue-badge",
                task_list_shown=mandates_ops.assisted_task_list("blue-badge").call(backend),
                seen_alone=True,
                safeguarding_answers=dict(SAFEGUARDING_QUESTIONS),
            )
        ).call(backend)
        cases_ops.add_note(started.case_id, "Marchbanks").call(backend)
        assert mandates_ops.wipe_assisted_session(started.id).call(backend)["people"] == 1
    finally:
        profile.close()
    run = cli("audit", "verify")
    assert run.code == 0, run.err
    assert "intact" in run.out
