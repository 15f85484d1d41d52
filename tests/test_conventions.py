"""Project conventions, checked: every API path in the schema, every management command tested."""

import re
from pathlib import Path

from openward.api import api

ROOT = Path(__file__).resolve().parent.parent


def test_every_api_operation_is_in_the_openapi_schema():
    schema = api.get_openapi_schema()
    documented = set(schema["paths"])
    routed = set()
    for prefix, router in api._routers:
        for path in router.path_operations:
            routed.add(re.sub(r"/+", "/", f"/api/{prefix}/{path}".replace("//", "/")))
    assert routed, "no API operations were found"
    missing = {p for p in routed if p.rstrip("/") not in {d.rstrip("/") for d in documented}}
    assert not missing, f"API paths missing from the OpenAPI schema: {sorted(missing)}"


def test_every_management_command_has_a_test():
    commands = sorted(p.stem for p in ROOT.glob("openward/*/management/commands/*.py") if p.stem != "__init__")
    tests_text = "\n".join(p.read_text() for p in ROOT.glob("openward/**/test_*.py")) + "\n".join(
        p.read_text() for p in ROOT.glob("tests/test_*.py")
    )
    untested = [c for c in commands if f'"{c}"' not in tests_text and f"'{c}'" not in tests_text]
    assert not untested, f"management commands with no test calling them: {untested}"


def test_every_environment_setting_is_documented():
    read = set()
    for path in ROOT.glob("openward/settings/*.py"):
        read |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*\"([A-Z0-9_]+)\"", path.read_text()))
    documented = (ROOT / "docs" / "settings.md").read_text()
    assert read, "no settings read from the environment were found"
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert not missing, f"settings read from the environment but not in docs/settings.md: {missing}"
