"""No app writes another app's models: it calls that app's services. A static check of
the feature apps' code (migrations aside): a write through a manager
(``Model.objects[...].create/update/delete/...``) must name a model of the same app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
WRITES = {
    "create", "create_user", "create_superuser", "bulk_create", "bulk_update", "update",
    "update_or_create", "get_or_create", "delete",
}
# Models of packages the project does not own are written through the core's services.
OUTSIDE = {"EmailAddress": "account"}


def _models_by_name() -> dict[str, str]:
    owners = {model.__name__: model._meta.app_label for model in apps.get_models()}
    return {**owners, **OUTSIDE}


def _manager_writes(tree: ast.AST):
    """(model name, method, line) for each ``Name.objects....<write>(...)`` call."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WRITES:
            continue
        inner, through_manager = node.func.value, False
        while isinstance(inner, (ast.Attribute, ast.Call)):
            if isinstance(inner, ast.Attribute) and inner.attr == "objects":
                through_manager = True
            inner = inner.value if isinstance(inner, ast.Attribute) else inner.func
        if through_manager and isinstance(inner, ast.Name):
            yield inner.id, node.func.attr, node.lineno


@pytest.mark.parametrize(("folder", "label"), [("registrations", "registrations"), ("sessions", "programme")])
def test_no_app_writes_another_apps_models(folder, label):
    owners = _models_by_name()
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for name, method, line in _manager_writes(ast.parse(path.read_text(encoding="utf-8"))):
            owner = owners.get(name)
            if owner is not None and owner != label:
                found.append(f"{path.relative_to(ROOT)}:{line} {name}.objects…{method}() ({owner})")
    assert found == []


def test_the_check_sees_a_write_through_a_filtered_manager():
    tree = ast.parse("User.objects.filter(pk=1).update(full_name='x')\nUser.objects.filter(pk=1).count()")
    assert list(_manager_writes(tree)) == [("User", "update", 1)]
