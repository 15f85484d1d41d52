"""The API's documentation page, written on the server from the OpenAPI schema.

It replaces django-ninja's Swagger UI, whose page has no language, fails colour contrast and nests links in
buttons, and does not fit a phone. This page uses the site's own template and styles (served by the app, so
it works offline): every operation by tag with who may call it (from its access rule), its parameters,
request body and answers, and every schema it names. The schema itself stays at /api/openapi.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from ninja.openapi.docs import DocsBase

from openward.core import access

REF = "#/components/schemas/"
# Tags in the order a reader meets them: Open Ward's own API first, the police.uk-compatible one last.
LAST_TAGS = ("police.uk sync", "police.uk compatible")


@dataclass
class Field:
    name: str
    where: str  # "path", "query", "" for a schema property
    required: bool
    kind: SafeString
    description: str = ""


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    description: SafeString
    who: str
    parameters: list[Field]
    body: SafeString | None
    answers: list[tuple[str, str, SafeString | None]]


@dataclass
class Tag:
    name: str
    anchor: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class SchemaDoc:
    name: str
    anchor: str
    description: str
    fields: list[Field]


def _anchor(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _inline(text: str) -> SafeString:
    """Docstring text as HTML: escaped, with `code` marked up and blank lines as paragraph breaks."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    code = re.compile(r"`([^`]+)`")
    html = "".join("<p>" + code.sub(r"<code>\1</code>", str(escape(p))) + "</p>" for p in paragraphs)
    return mark_safe(html)


def kind_of(schema: dict[str, Any]) -> SafeString:
    """A schema's type in words, with links to named schemas: "list of <a>EventOut</a>", "string or nothing"."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF)
        return mark_safe(f'<a href="#schema-{_anchor(name)}">{escape(name)}</a>')
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf")
        named = [kind_of(s) for s in options if s.get("type") != "null"]
        words = " or ".join(named) or "nothing"
        if any(s.get("type") == "null" for s in options):
            words += " or nothing (null)"
        return mark_safe(words)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return kind_of(schema["allOf"][0])
    kind = schema.get("type", "any value")
    if "enum" in schema:
        values = ", ".join(f"<code>{escape(v)}</code>" for v in schema["enum"])
        return mark_safe(f"one of {values}")
    if kind == "array":
        return mark_safe(f"list of {kind_of(schema.get('items', {}))}")
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return mark_safe(f"object whose values are {kind_of(schema['additionalProperties'])}")
    if schema.get("format"):
        return mark_safe(f"{escape(kind)} ({escape(schema['format'])})")
    return mark_safe(escape(kind))


def _role_names() -> dict[str, str]:
    # By label: core names no app's models; accounts defines the roles.
    return dict(apps.get_model("accounts", "RoleGrant")._meta.get_field("role").choices or [])


def who_may_call(rule: access.Rule | None) -> str:
    """An access rule in words."""
    if rule is None or rule.kind == "public":
        return "Anyone: no sign-in needed."
    if rule.kind == "signed_in":
        return "Anyone signed in."
    names = _role_names()
    roles = ", ".join(names.get(r, r) for r in rule.roles)
    where = "for the place it is about" if rule.area else "anywhere"
    return f"People holding one of these roles {where}: {roles}. Staff must have passed two-factor authentication."


def _rules(api) -> dict[tuple[str, str], access.Rule | None]:
    rules = {}
    for endpoint in access.endpoints(api=api):
        if endpoint.kind == "api":
            path = re.sub(r"{(\w+:)?(\w+)}", r"{\2}", endpoint.route)
            rules[(endpoint.method.upper(), path)] = getattr(endpoint.view, "access_rule", None)
    return rules


def _fields(properties: dict[str, Any], required: list[str], where: str = "") -> list[Field]:
    return [
        Field(
            name=name,
            where=where,
            required=name in required,
            kind=kind_of(schema),
            description=schema.get("description", ""),
        )
        for name, schema in properties.items()
    ]


def _body(operation: dict[str, Any]) -> SafeString | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, found in content.items():
        return mark_safe(f"{kind_of(found.get('schema', {}))} as <code>{escape(media_type)}</code>")
    return None


def reference(api) -> dict[str, Any]:
    """What the documentation page shows: the API's tags, operations and schemas, from its OpenAPI schema."""
    schema = api.get_openapi_schema()
    rules = _rules(api)
    tags: dict[str, Tag] = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            name = (operation.get("tags") or ["other"])[0]
            tag = tags.setdefault(name, Tag(name=name, anchor=f"tag-{_anchor(name)}"))
            parameters = [
                Field(
                    name=p["name"],
                    where=p["in"],
                    required=p.get("required", False),
                    kind=kind_of(p.get("schema", {})),
                    description=p.get("description", ""),
                )
                for p in operation.get("parameters", [])
            ]
            answers = []
            for status, answer in operation.get("responses", {}).items():
                body = answer.get("content", {}).get("application/json", {}).get("schema")
                answers.append((status, answer.get("description", ""), kind_of(body) if body else None))
            tag.operations.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=_anchor(operation.get("operationId") or f"{method} {path}"),
                    summary=operation.get("summary") or f"{method.upper()} {path}",
                    description=_inline(operation.get("description", "")),
                    who=who_may_call(rules.get((method.upper(), path))),
                    parameters=parameters,
                    body=_body(operation),
                    answers=answers,
                )
            )
    ordered = sorted(
        tags.values(), key=lambda t: (t.name in LAST_TAGS, LAST_TAGS.index(t.name) if t.name in LAST_TAGS else 0)
    )
    schemas = [
        SchemaDoc(
            name=name,
            anchor=f"schema-{_anchor(name)}",
            description=body.get("description", ""),
            fields=_fields(body.get("properties", {}), body.get("required", [])),
        )
        for name, body in sorted(schema["components"].get("schemas", {}).items())
    ]
    return {
        "info": schema["info"],
        "tags": ordered,
        "schemas": schemas,
        "operation_count": sum(len(t.operations) for t in ordered),
    }


_pages: dict[int, dict[str, Any]] = {}


class Reference(DocsBase):
    """django-ninja's docs hook: our own page in place of Swagger UI (the schema is worked out once a process)."""

    def render_page(self, request, api, **kwargs):
        if id(api) not in _pages:
            _pages[id(api)] = reference(api)
        context = {**_pages[id(api)], "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api_docs.html", context)
