"""OpenAPI: the token scheme, every operation documenting its problem-details errors, and a schema that says
what the API does (checked by schemathesis, tests/test_api_schema.py)."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class PortalAutoSchema(AutoSchema):
    """drf-spectacular's, stating three things it leaves out:

    - a DELETE that takes a body (revoking a share takes `purpose` and `reason`) documents it;
    - a write serializer that refuses unknown fields (StrictSerializer) has `additionalProperties: false`;
    - a read-only choice whose model column may be blank (`"partnership": ""`) allows the empty value."""

    def _get_request_body(self, direction="request"):
        if self.method == "DELETE" and self.get_request_serializer() is not None:
            self.method = "POST"
            try:
                return super()._get_request_body(direction)
            finally:
                self.method = "DELETE"
        return super()._get_request_body(direction)

    def _map_basic_serializer(self, serializer, direction):
        from partnerships.api.serializers import StrictSerializer

        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictSerializer):
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and not field.allow_blank and _blank_in_model(field):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _blank_in_model(field):
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:
        return False


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
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            for code, description in ERRORS.items():
                if code == "412" and not any(p["name"] == "If-Match" for p in parameters):
                    continue  # only where the client can set a precondition
                if code == "409" and method == "get":
                    continue
                # an operation's own description of an error (`responses={403: ...}`) keeps the problem's body
                responses.setdefault(code, {"description": description}).setdefault("content", problem)
            responses["429"].setdefault("headers", {"Retry-After": RETRY_AFTER})
            for parameter in parameters:
                # An empty query value is refused ("Give a value, or leave the parameter out."): say so.
                schema = parameter.get("schema", {})
                if parameter["in"] == "query" and schema.get("type") == "string" and "enum" not in schema:
                    schema.setdefault("minLength", 1)
    return result
