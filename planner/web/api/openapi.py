"""The OpenAPI 3.1 document for /api/v1 (kept next to the routes it describes).

Every object lists all its fields as required and allows no others, and the word lists come from
the code (dosage limits, categories, regions…), so an answer that gains, loses or renames a field
fails tests/test_api_schema.py, which calls every documented operation and checks each answer
against its schema. In OpenAPI 3.1 a schema is JSON Schema 2020-12: null is `"type": [..., "null"]`.
"""

from __future__ import annotations

from typing import Any

from planner.catalog.vocabulary import CATEGORIES, EQUIPMENT, POSITIONS, REGIONS
from planner.dosage import LIMITS, SIDES
from planner.services.coverage import GOALS


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """An object with exactly these properties, all present."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _words(values: Any) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


_dosage = {
    "type": "object",
    "description": "Whole numbers within the catalog's limits; only the keys the dosage uses.",
    "properties": {key: {"type": "integer", "minimum": low, "maximum": high} for key, (low, high) in LIMITS.items()},
    "additionalProperties": False,
}
_exercise = _object(
    {
        "id": {"type": "string", "description": "The exercise's slug, e.g. chin-tuck-sitting"},
        "name": {"type": "string"},
        "category": _words(CATEGORIES),
        "regions": {"type": "array", "items": _words(REGIONS)},
        "position": _words(POSITIONS),
        "equipment": {"type": "array", "items": _words(EQUIPMENT)},
        "difficulty": {"type": "integer", "minimum": 1, "maximum": 3},
        "dosage": _dosage,
        "dosage_words": {"type": "string", "description": "The dosage as the handout says it"},
        "retired": {"type": "boolean"},
    }
)
_item = _object(
    {
        "position": {"type": "integer", "minimum": 1},
        "exercise": {"$ref": "#/components/schemas/Exercise"},
        "dosage": _dosage,
        "side": {
            "type": "string",
            "enum": ["", *SIDES],
            "description": "The side set on the item, else the one the patient's dystonia pattern gives",
        },
        "direction_set": {
            "type": "boolean",
            "description": "False for a direction-specific exercise with no side: no handout is made until one is set",
        },
        "checked": {
            "type": "boolean",
            "description": "False while the patient's dystonia pattern flags the exercise (contraindicated, toward "
            "the pull) and the therapist has not confirmed it for the program as it is: the patient's phone page "
            "holds it back, and no handout goes out without the confirmation",
        },
        "note": {"type": "string"},
        "dosage_words": {
            "type": "string",
            "description": "What the patient reads: the direction, then the dosage (a wait note while no side is set)",
        },
    }
)
_coverage = _object(
    {
        "goals_covered": {"type": "array", "items": _words(GOALS)},
        "goals_missing": {"type": "array", "items": _words(GOALS)},
        "regions": {"type": "array", "items": _words(REGIONS)},
        "session_minutes": {"type": "integer", "minimum": 0},
        "day_minutes": {"type": "integer", "minimum": 0},
    },
    "Which of the three goals the program serves, the body regions, and about how long it takes",
)
_last_given = _object(
    {
        "version": {"type": "integer", "minimum": 1, "description": "The number of the version given"},
        "given_at": {
            "type": "string",
            "format": "date-time",
            "description": "When it was printed, emailed, shared or exported (UTC)",
        },
        "program_differs": {
            "type": "boolean",
            "description": "True while a handout made now would differ from it: an edit not given yet, a direction a "
            "re-evaluation moved, or a clinic's own exercise edited since. The patient sees the changes once the "
            "program is printed, emailed or shared again",
        },
    },
    "The version the patient was given last: what their paper, their phone page, the FHIR export's active "
    "CarePlan and their data export show, whatever the fields beside it say now",
)
_program = _object(
    {
        "id": {"type": "integer"},
        "patient_id": {"type": "integer"},
        "title": {"type": "string"},
        "goals": {"type": "string"},
        "version": {
            "type": "integer",
            "minimum": 1,
            "description": "The program's version as it is now, which these fields describe (given or not: see issued)",
        },
        "issued": {"type": "boolean", "description": "Whether this version has been given to the patient"},
        "start_date": {"type": "string", "format": "date"},
        "frequency": {"type": "string"},
        "visit_plan": {"type": "string"},
        "next_reevaluation": {"type": ["string", "null"], "format": "date"},
        "advice": {"type": "array", "items": {"type": "string"}},
        "advice_text": {"type": "string"},
        "archived": {"type": "boolean"},
        "last_given": {
            "anyOf": [_last_given, {"type": "null"}],
            "description": "The version the patient was given last; null when none was given",
        },
        "coverage": _coverage,
        "items": {"type": "array", "items": _item},
    }
)
_exercise_page = _object(
    {
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "corrected": {
            "type": ["string", "null"],
            "description": "When the words found nothing, the corrected search that was run instead; else null",
        },
        "exercises": {"type": "array", "items": {"$ref": "#/components/schemas/Exercise"}},
    }
)
_error = _object({"error": {"type": "string", "description": "What went wrong, in words"}})


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_error_ref = {"$ref": "#/components/schemas/Error"}
_unauthorized = _json("No signed-in session and no valid token (revoked, or its account deactivated)", _error_ref)
_not_found = _json("No such row in your clinic (another clinic's row gives the same answer)", _error_ref)


def _id(name: str, what: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": what, "schema": {"type": "integer"}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Home Exercise Planner API",
        "version": "1",
        "description": (
            "Read-only. Send a personal API token (made under your name → API tokens, or with "
            "`flask --app planner tokens create EMAIL --name NAME`) as `Authorization: Bearer <token>`, "
            "or call it from a signed-in browser. Every answer is limited to your clinic."
        ),
    },
    "security": [{"bearerToken": []}, {"session": []}],
    "components": {
        "securitySchemes": {
            "bearerToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token, starting with hep_",
            },
            "session": {"type": "apiKey", "in": "cookie", "name": "planner_session"},
        },
        "schemas": {"Exercise": _exercise, "Program": _program, "Error": _error},
    },
    "paths": {
        "/api/v1/programs/{program_id}": {
            "get": {
                "operationId": "getProgram",
                "summary": "One program as it is now, with its exercises and dosage in words, and the version the "
                "patient was given last",
                "parameters": [_id("program_id", "The program's number")],
                "responses": {
                    "200": _json("The program", {"$ref": "#/components/schemas/Program"}),
                    "401": _unauthorized,
                    "404": _not_found,
                },
            }
        },
        "/api/v1/patients/{patient_id}/programs": {
            "get": {
                "operationId": "listPatientPrograms",
                "summary": "A patient's programs",
                "parameters": [_id("patient_id", "The patient's number")],
                "responses": {
                    "200": _json("The programs", {"type": "array", "items": {"$ref": "#/components/schemas/Program"}}),
                    "401": _unauthorized,
                    "404": _not_found,
                },
            }
        },
        "/api/v1/exercises": {
            "get": {
                "operationId": "searchExercises",
                "summary": "Search the catalog: the shared exercises and your clinic's own",
                "parameters": [
                    {"name": "q", "in": "query", "description": "Words to search for", "schema": {"type": "string"}},
                    {"name": "category", "in": "query", "schema": _words(CATEGORIES)},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                ],
                "responses": {"200": _json("A page of exercises", _exercise_page), "401": _unauthorized},
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "getOpenApiDocument",
                "summary": "This document",
                "security": [],
                "responses": {"200": _json("The OpenAPI document", {"type": "object"})},
            }
        },
    },
}
