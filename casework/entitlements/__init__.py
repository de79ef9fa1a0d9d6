"""Entitlements: the next claim, suggested.

Links between awards (an Attendance Allowance award may increase Pension
Credit, and so on) are data in ``resources/entitlements``, each with its source
and a plain-words reason. When a form is sent or an outcome recorded, the
follow-on claims are suggested on the case, never as a certainty. It may use
the form engine and everything below it.
"""
