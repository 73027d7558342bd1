"""OpenAPI: the token scheme, and every operation documenting its problem-details errors."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "partnerships.api.base.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`, from `manage.py issue_api_token`"}


PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "revokes": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["type", "title", "status"],
}

ERRORS = {
    "400": "Invalid request (see errors)",
    "401": "Not authenticated: missing, unknown, expired or revoked token",
    "403": "Not allowed (a read-only token writing, or a level the caller's agency lacks)",
    "404": "Not found, or not visible to the caller's agency",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict: the change needs confirmation (see revokes)",
    "412": "The case changed since its ETag was read",
    "415": "Unsupported media type",
    "429": "Rate limit reached (requests, searches or CSV exports per token); see Retry-After",
}

RETRY_AFTER = {"description": "Seconds to wait before trying again", "schema": {"type": "integer", "minimum": 1}}


def document_problems(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(code, {"description": description, "content": problem})
            responses["429"].setdefault("headers", {"Retry-After": RETRY_AFTER})
    return result
