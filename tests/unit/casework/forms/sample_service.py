"""A small service definition that uses every question type, a branch, a
multi-choice condition and a repeating group, for the engine's tests."""

from __future__ import annotations

import copy
import json
from typing import Any


def t(en: str, cy: str | None = None) -> dict[str, str]:
    return {"en": en, "cy": cy or f"{en} (cy)"}


SAMPLE: dict[str, Any] = {
    "id": "sample-service",
    "version": "2026.1",
    "owner": {"kind": "council", "name": t("Riverside Council", "Cyngor Glan yr Afon")},
    "title": t("Apply for a sample thing", "Gwneud cais am beth enghreifftiol"),
    "summary": t("A small form for tests."),
    "eligibility": [t("Anyone can apply.")],
    "sources": [{"title": "GOV.UK design system", "url": "https://design-system.service.gov.uk/"}],
    "channels": ["submission_api", "paper"],
    "fee": {"amount_pence": 1000, "description": t("A £10 fee.")},
    "paper": {"form_code": "SAMPLE1", "send_to": t("Riverside Council, PO Box 1")},
    "facilitator": {
        "name": t("Sam Facilitator"),
        "organisation": t("Riverside Council"),
        "email": "help@example.gov.uk",
        "phone": "01632 960000",
        "sla_working_days": 5,
    },
    "declaration": t("I declare the information is correct."),
    "next_steps": t("We will write to you within 4 weeks."),
    "pages": [
        {
            "id": "name",
            "section": t("About you"),
            "title": t("What is your name?"),
            "questions": [
                {
                    "id": "given-name",
                    "type": "text",
                    "label": t("Given name"),
                    "category": "identity",
                    "reuse": "person.given_name",
                    "errors": {"required": t("Enter your given name", "Rhowch eich enw cyntaf")},
                    "validation": {"max_length": 50},
                },
                {
                    "id": "family-name",
                    "type": "text",
                    "label": t("Family name"),
                    "category": "identity",
                    "reuse": "person.family_name",
                },
            ],
        },
        {
            "id": "born",
            "section": t("About you"),
            "title": t("Date of birth"),
            "questions": [
                {
                    "id": "date-of-birth",
                    "type": "date",
                    "label": t("Date of birth"),
                    "category": "identity",
                    "reuse": "person.date_of_birth",
                    "validation": {"not_in_future": True},
                },
                {
                    "id": "moved-in",
                    "type": "date",
                    "label": t("When did you move in?"),
                    "category": "address",
                    "approximate_allowed": True,
                    "required": False,
                },
            ],
        },
        {
            "id": "ids",
            "section": t("About you"),
            "title": t("Your numbers"),
            "questions": [
                {
                    "id": "ni",
                    "type": "ni_number",
                    "label": t("NI number"),
                    "category": "identity",
                    "reuse": "person.ni_number",
                },
                {
                    "id": "nhs",
                    "type": "nhs_number",
                    "label": t("NHS number"),
                    "category": "health",
                    "required": False,
                    "reuse": "person.nhs_number",
                },
                {
                    "id": "phone",
                    "type": "phone",
                    "label": t("Phone"),
                    "category": "contact",
                    "required": False,
                },
                {
                    "id": "email",
                    "type": "email",
                    "label": t("Email"),
                    "category": "contact",
                    "required": False,
                },
                {
                    "id": "home",
                    "type": "address",
                    "label": t("Address"),
                    "category": "address",
                    "reuse": "person.address",
                },
            ],
        },
        {
            "id": "money",
            "section": t("Money"),
            "title": t("Your income"),
            "questions": [
                {
                    "id": "has-income",
                    "type": "yes_no",
                    "label": t("Do you have income?"),
                    "category": "financial",
                },
                {
                    "id": "income",
                    "type": "money",
                    "label": t("Weekly income"),
                    "category": "financial",
                    "condition": {"question": "has-income", "equals": True},
                    "validation": {"min": 1, "max": 1000000},
                },
                {
                    "id": "children",
                    "type": "number",
                    "label": t("Children"),
                    "category": "household",
                    "validation": {"min": 0, "max": 20},
                },
            ],
        },
        {
            "id": "benefits",
            "section": t("Money"),
            "title": t("Benefits"),
            "questions": [
                {
                    "id": "benefits",
                    "type": "multi_choice",
                    "label": t("Which benefits do you get?"),
                    "category": "financial",
                    "options": [
                        {"value": "pip", "label": t("PIP")},
                        {"value": "uc", "label": t("Universal Credit")},
                        {"value": "none", "label": t("None of these"), "exclusive": True},
                    ],
                },
                {
                    "id": "uc-since",
                    "type": "date",
                    "label": t("Since when?"),
                    "category": "financial",
                    "condition": {"question": "benefits", "includes": "uc"},
                },
            ],
        },
        {
            "id": "housing",
            "section": t("Home"),
            "title": t("Your home"),
            "questions": [
                {
                    "id": "tenure",
                    "type": "choice",
                    "label": t("Do you own or rent?"),
                    "category": "household",
                    "options": [
                        {"value": "own", "label": t("Own")},
                        {"value": "rent", "label": t("Rent")},
                    ],
                },
            ],
        },
        {
            "id": "rent",
            "section": t("Home"),
            "title": t("Rent"),
            "condition": {"question": "tenure", "equals": "rent"},
            "questions": [
                {
                    "id": "rent-amount",
                    "type": "money",
                    "label": t("Rent a month"),
                    "category": "financial",
                },
                {
                    "id": "landlord",
                    "type": "long_text",
                    "label": t("Landlord"),
                    "category": "household",
                    "required": False,
                },
            ],
        },
        {
            "id": "medicines",
            "section": t("Health"),
            "title": t("Medicines"),
            "questions": [
                {
                    "id": "medicines",
                    "type": "group",
                    "label": t("Medicines you take"),
                    "category": "health",
                    "item_label": t("medicine"),
                    "required": False,
                    "min_items": 0,
                    "max_items": 3,
                    "questions": [
                        {
                            "id": "medicine-name",
                            "type": "text",
                            "label": t("Name"),
                            "category": "health",
                        },
                        {
                            "id": "prescribed",
                            "type": "yes_no",
                            "label": t("Prescribed?"),
                            "category": "health",
                        },
                        {
                            "id": "prescriber",
                            "type": "text",
                            "label": t("Who prescribed it?"),
                            "category": "health",
                            "condition": {"question": "prescribed", "equals": True},
                        },
                    ],
                },
            ],
        },
    ],
}


def sample() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def sample_bytes(data: dict[str, Any] | None = None) -> bytes:
    return json.dumps(data if data is not None else SAMPLE, ensure_ascii=False).encode("utf-8")
