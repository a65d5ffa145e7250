"""The OpenAPI 3.1 document for /api/v1 (kept next to the routes it describes)."""

_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_error = {
    "description": "Not found, or not in your clinic",
    "content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}},
}
_exercise = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "category": {"type": "string"},
        "regions": {"type": "array", "items": {"type": "string"}},
        "position": {"type": "string"},
        "equipment": {"type": "array", "items": {"type": "string"}},
        "difficulty": {"type": "integer"},
        "dosage": {"type": "object"},
        "dosage_words": {"type": "string"},
        "retired": {"type": "boolean"},
    },
}
_program = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "patient_id": {"type": "integer"},
        "title": {"type": "string"},
        "goals": {"type": "string"},
        "version": {"type": "integer"},
        "issued": {"type": "boolean"},
        "start_date": {"type": "string", "format": "date"},
        "frequency": {"type": "string"},
        "visit_plan": {"type": "string"},
        "next_reevaluation": {"type": ["string", "null"], "format": "date"},
        "advice": {"type": "array", "items": {"type": "string"}},
        "advice_text": {"type": "string"},
        "archived": {"type": "boolean"},
        "coverage": {"type": "object"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "position": {"type": "integer"},
                    "exercise": _exercise,
                    "dosage": {"type": "object"},
                    "side": {"type": "string", "enum": ["", "left", "right", "both"]},
                    "note": {"type": "string"},
                    "dosage_words": {"type": "string"},
                },
            },
        },
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Home Exercise Planner API",
        "version": "1",
        "description": "Read-only. Uses the signed-in session; every answer is limited to your clinic.",
    },
    "paths": {
        "/api/v1/programs/{id}": {
            "get": {
                "summary": "One program with its exercises and dosage in words",
                "parameters": [_id],
                "responses": {
                    "200": {"description": "The program", "content": {"application/json": {"schema": _program}}},
                    "401": {"description": "Not signed in"},
                    "404": _error,
                },
            }
        },
        "/api/v1/patients/{id}/programs": {
            "get": {
                "summary": "A patient's programs",
                "parameters": [_id],
                "responses": {
                    "200": {
                        "description": "The programs",
                        "content": {"application/json": {"schema": {"type": "array", "items": _program}}},
                    },
                    "401": {"description": "Not signed in"},
                    "404": _error,
                },
            }
        },
        "/api/v1/exercises": {
            "get": {
                "summary": "Search the catalog",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "category", "in": "query", "schema": {"type": "string"}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                ],
                "responses": {
                    "200": {
                        "description": "A page of exercises",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "total": {"type": "integer"},
                                        "page": {"type": "integer"},
                                        "pages": {"type": "integer"},
                                        "exercises": {"type": "array", "items": _exercise},
                                    },
                                }
                            }
                        },
                    },
                    "401": {"description": "Not signed in"},
                },
            }
        },
    },
}
