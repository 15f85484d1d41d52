"""Project conventions, checked: every API path in the schema, every management command tested, apps that
import each other only one way, at module level, and only public names."""

import ast
import functools
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


# Fields that look personal but are not a member of the public's data, each with the reason.
PLACE = "a place or its public description (reference data)"
POLICE_UK = "public police.uk data: officers in their role, stations, anonymised crime locations, events, priorities"
VOCABULARY = "a word in a controlled vocabulary"
STAFF_WORK = "written by staff as part of the public record of their work, not about a member of the public"
STAFF_ACTOR = "the staff member who did it: kept for accountability, and blank once their account is erased"
NOT_PERSONAL = {
    **{
        f: PLACE
        for f in (
            "areas.Force.name",
            "areas.Force.description",
            "areas.Borough.name",
            "areas.Borough.boundary",
            "areas.WardGeneration.name",
            "areas.Ward.name",
            "areas.Ward.boundary",
            "areas.Lsoa.name",
            "areas.Lsoa.boundary",
            "areas.Cluster.name",
            "areas.Cluster.description",
            "areas.Neighbourhood.name",
            "areas.Neighbourhood.description",
            "areas.Neighbourhood.boundary",
            "census.EthnicPopulation.area_name",
            "monitoring.MonitoringGroup.name",
        )
    },
    **{
        f: POLICE_UK
        for f in (
            "areas.TeamMember.name",
            "areas.TeamMember.bio",
            "areas.Station.name",
            "areas.Station.address",
            "areas.Station.postcode",
            "areas.Station.description",
            "crime.Crime.street_name",
            "crime.DroppedDuplicate.street_name",
            "crime.PointCount.street_name",
            "crime.Crime.lsoa_name",
            "crime.Crime.context",
            "crime.Stop.street_name",
            "crime.Stop.operation_name",
            "policeuk.SyncedEvent.title",
            "policeuk.SyncedEvent.description",
            "policeuk.SyncedEvent.address",
            "policeuk.SyncedPriority.issue",
            "policeuk.SyncedPriority.action",
        )
    },
    **{
        f: VOCABULARY
        for f in ("crime.CrimeCategory.name", "crime.Outcome.name", "engagement.Topic.name", "priorities.Concern.name")
    },
    **{
        f: STAFF_WORK
        for f in (
            "engagement.Event.description",
            "engagement.Event.address",
            "engagement.AgendaItem.notes",
            "engagement.MeetingRecord.summary",
            "engagement.MinuteEntry.summary",
            "engagement.Action.what",
            "engagement.Action.status_note",
            "engagement.Bulletin.body_html",
            "engagement.Bulletin.body_markdown",
            "notifications.Notice.detail",
            "engagement.BulletinImage.alt_text",
            "engagement.VolunteerTask.description",
            "engagement.VolunteerReport.findings",
            "priorities.Priority.evidence",
            "priorities.PriorityAction.description",
            "priorities.Review.note",
            "commitments.Commitment.text",
            "monitoring.ReviewSample.force_response",
        )
    },
    **{
        f: STAFF_ACTOR
        for f in (
            "core.ImportRun.actor",
            "verification.LetterBatch.created_by",
            "engagement.Event.created_by",
            "engagement.MeetingRecord.published_by",
            "engagement.Bulletin.author",
            "engagement.VolunteerTask.created_by",
            "engagement.VolunteerReport.submitted_by",
            "priorities.Consultation.created_by",
            "priorities.Priority.created_by",
            "priorities.PriorityAction.recorded_by",
            "priorities.Review.reviewed_by",
            "commitments.Commitment.created_by",
            "commitments.Review.reviewed_by",
            "monitoring.ReviewSample.drawn_by",
        )
    },
    "priorities.Ballot.other_text": "anonymous by design: nothing links a ballot to its voter (docs/ballot-secrecy.md)",
}
PERSONAL_NAME = re.compile(
    r"(^|_)(email|name|address|postcode|recipient|body|text|note|answer|comment|message|phone)s?($|_)"
)


def _personal_fields(model):
    """Fields that can hold a person's email, name, address or words, or point at a person."""
    from django.conf import settings
    from django.db import models

    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.EmailField | models.GenericIPAddressField | models.TextField)
            or (isinstance(field, models.CharField) and PERSONAL_NAME.search(field.name))
            or (field.is_relation and field.related_model._meta.label == settings.AUTH_USER_MODEL)
        ):
            yield field


def test_every_model_holding_personal_data_registers_an_eraser_and_an_exporter():
    from django.apps import apps

    from openward.core import personal_data

    registered = {model for holder in personal_data.holders() for model in holder.models}
    ours = [m for m in apps.get_models() if m.__module__.startswith("openward.")]
    unexplained = [
        f"{model._meta.label}.{field.name}"
        for model in ours
        if model not in registered
        for field in _personal_fields(model)
        if f"{model._meta.label}.{field.name}" not in NOT_PERSONAL
    ]
    assert not unexplained, (
        f"models with personal fields but no eraser/exporter (register them in the app's personal_data.py, "
        f"or say in NOT_PERSONAL why they are not personal): {unexplained}"
    )
    current = {f"{m._meta.label}.{f.name}" for m in ours if m not in registered for f in _personal_fields(m)}
    stale = sorted(set(NOT_PERSONAL) - current)
    assert not stale, f"NOT_PERSONAL names fields that are gone or now registered: {stale}"


# ---- How apps import each other (computed with ast over the production tree; nothing is allow-listed) ----

APPS = sorted(p.parent.name for p in (ROOT / "openward").glob("*/apps.py"))


@functools.cache
def _parsed(path: Path) -> tuple[ast.Module, tuple[ast.AST, ...]]:
    """A module's tree and every node in it, in ast.walk's order: parsed and walked once for all the checks
    below (the trees are only read)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return tree, tuple(ast.walk(tree))


def _production_modules():
    for path in sorted((ROOT / "openward").rglob("*.py")):
        parts = path.relative_to(ROOT / "openward").parts
        if parts[0] in APPS and "tests" not in parts and "migrations" not in parts:
            yield parts[0], path, _parsed(path)[0]


def _from_module(node: ast.ImportFrom, path) -> str:
    """The dotted module of a `from … import`, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = list(path.relative_to(ROOT).with_suffix("").parts)[: -node.level]
    return ".".join(package + ([node.module] if node.module else []))


def _imported(node, path) -> list[tuple[str, list[str]]]:
    """(dotted module, names imported from it) for an import statement, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [(alias.name, []) for alias in node.names]
    module = _from_module(node, path)
    if module == "openward":  # `from openward import crime`: each name is an app
        return [(f"openward.{alias.name}", []) for alias in node.names]
    return [(module, [alias.name for alias in node.names])]


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "openward" and parts[1] in APPS else None


def _in_functions(tree) -> set[int]:
    """The ids of the nodes inside a function or lambda (the function's own node not included)."""
    inside: set[int] = set()

    def visit(node, within: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if within:
                inside.add(id(child))
            visit(child, within or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(tree, False)
    return inside


@functools.cache
def _cross_app_imports() -> tuple:
    """Every import of another app: (importing app, file, line, module, names, inside a function?)."""
    found = []
    for app, path, tree in _production_modules():
        in_function = _in_functions(tree)
        for node in _parsed(path)[1]:
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module, names in _imported(node, path):
                other = _app_of(module)
                if other and other != app:
                    found.append(
                        (app, path.relative_to(ROOT), node.lineno, module, names, id(node) in in_function, tree)
                    )
    return tuple(found)


def test_the_convention_checks_see_the_apps_and_their_imports():
    # A scan that found nothing would pass every test below.
    assert {"accounts", "areas", "core", "crime", "engagement", "notifications", "verification"} <= set(APPS)
    found = {(app, module) for app, _, _, module, _, _, _ in _cross_app_imports()}
    assert ("crime", "openward.areas.models") in found
    assert ("engagement", "openward.notifications.models") in found


def test_no_function_level_imports_between_apps():
    hidden = [
        f"{path}:{line} imports {module}" for _, path, line, module, _, inside, _ in _cross_app_imports() if inside
    ]
    assert not hidden, (
        "imports of another app inside a function hide a dependency (and often a cycle); import at module level, "
        f"or let the other app register itself (see core/sections.py): {hidden}"
    )


# Django's documented model API, though spelt with an underscore.
DJANGO_PUBLIC = {"_meta", "_default_manager", "_base_manager"}


def _is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__") and part not in DJANGO_PUBLIC


def _bindings(nodes, path) -> dict[str, str]:
    """Each name an import binds in the module, and the dotted name it stands for (aliases followed)."""
    bound = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                # `import a.b.c as y` binds y to a.b.c; `import a.b.c` binds a (used as a.b.c.x).
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            module = _from_module(node, path)
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{module}.{alias.name}"
    return bound


def _dotted(node) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None for anything but names and attributes."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def private_names_of_other_apps(app: str, tree, path, nodes=None) -> list[tuple[int, str]]:
    """(line, dotted name) for every private name of another app this module imports or reaches through an
    imported module, whatever it was imported as. `nodes`: the tree's, walked already."""
    nodes = tuple(ast.walk(tree)) if nodes is None else nodes
    found = []
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for module, names in _imported(node, path):
                other = _app_of(module)
                if other and other != app:
                    found += [(node.lineno, module) for part in module.split(".")[2:] if _is_private(part)]
                    found += [(node.lineno, f"{module}.{n}") for n in names if _is_private(n)]
    bound = _bindings(nodes, path)
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and (parts := _dotted(node)):
            if parts[0] not in bound:
                continue
            full = [*bound[parts[0]].split("."), *parts[1:]]
            other = _app_of(".".join(full))
            private = next((i for i, part in enumerate(full) if i >= 2 and _is_private(part)), None)
            if other and other != app and private is not None:
                found.append((node.lineno, ".".join(full[: private + 1])))  # up to the private name
    return sorted(set(found))


def test_no_app_imports_another_apps_private_names():
    private = [
        f"{path.relative_to(ROOT)}:{line} uses {name}"
        for app, path, tree in _production_modules()
        for line, name in private_names_of_other_apps(app, tree, path, _parsed(path)[1])
    ]
    assert not private, f"another app's private names (make them public, or ask that app for them): {private}"


def test_the_private_name_check_follows_aliases():
    # A positive control: each of these reaches areas.selectors._generations from crime.
    path = ROOT / "openward" / "crime" / "example.py"
    for source in (
        "from openward.areas.selectors import _generations",
        "from openward.areas import selectors\nselectors._generations.clear()",
        "from openward.areas import selectors as sel\nsel._generations.clear()",
        "import openward.areas.selectors as sel\nsel._generations.clear()",
        "import openward.areas.selectors\nopenward.areas.selectors._generations.clear()",
        "import openward as ow\now.areas.selectors._generations.clear()",
        "from openward import areas as a\na.selectors._generations.clear()",
        "from ..areas import selectors as s\ns._generations",
    ):
        found = private_names_of_other_apps("crime", ast.parse(source), path)
        assert [name for _, name in found] == ["openward.areas.selectors._generations"], source
    # Its own private names, another app's public ones and Django's _meta are fine.
    for source in (
        "from . import scope\nscope._private()",
        "from openward.areas import selectors\nselectors.ward_or_404('x')",
        "from openward.areas.models import Ward\nWard._meta.get_field('name')",
    ):
        assert private_names_of_other_apps("crime", ast.parse(source), path) == [], source


def cycles_in(graph: dict[str, set[str]]) -> list[str]:
    """A cycle through each back edge a depth-first search meets, visiting each node once: none when the
    graph has no cycle, at least one when it has any."""
    cycles, done, trail = [], set(), []

    def visit(node):
        trail.append(node)
        for other in sorted(graph.get(node, ())):
            if other in trail:
                cycles.append(" → ".join(trail[trail.index(other) :] + [other]))
            elif other not in done:
                visit(other)
        trail.pop()
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node)
    return cycles


def test_the_cycle_check_finds_cycles_and_visits_each_app_once():
    assert cycles_in({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert cycles_in({"a": {"b"}, "b": {"a"}}) == ["a → b → a"]
    assert cycles_in({"a": {"b", "c"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a → b → c → a"]
    assert cycles_in({"a": {"b"}, "b": set(), "c": {"d"}, "d": {"c"}}) == ["c → d → c"]
    # Forty apps in a chain with every shortcut: a walk of every path would take 2**39 steps.
    chain = {f"app{i:02d}": {f"app{j:02d}" for j in range(i + 1, 40)} for i in range(40)}
    assert cycles_in(chain) == []


def test_apps_import_each_other_one_way_only():
    graph: dict[str, set[str]] = {app: set() for app in APPS}
    for app, _, _, module, _, _, _ in _cross_app_imports():
        graph[app].add(_app_of(module))
    cycles = cycles_in(graph)
    assert not cycles, f"apps that import each other in a circle (break it with a registry or a signal): {cycles[:5]}"


def test_notifications_modules_import_one_way():
    """delivery ← services ← tasks: delivery imports neither, services does not import tasks."""
    imports = {}
    for app, path, _tree in _production_modules():
        if app == "notifications" and path.parent.name == "notifications":
            imports[path.stem] = {
                m
                for node in _parsed(path)[1]
                if isinstance(node, ast.Import | ast.ImportFrom)
                for m, _ in _imported(node, path)
            }
    assert not {"openward.notifications.tasks", "openward.notifications.services"} & imports["delivery"]
    assert "openward.notifications.tasks" not in imports["services"]


# ---- Test code stays out of the production package ----


def _production_files():
    """Every module under openward/ except test packages (migrations, settings and the project modules too)."""
    for path in sorted((ROOT / "openward").rglob("*.py")):
        if "tests" not in path.relative_to(ROOT / "openward").parts:
            yield path, _parsed(path)[0]


def _targets(node) -> list:
    if isinstance(node, ast.Assign):
        found = list(node.targets)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        found = [node.target]
    else:
        return []
    flat = []
    while found:
        target = found.pop()
        if isinstance(target, ast.Tuple | ast.List):
            found.extend(target.elts)
        else:
            flat.append(target)
    return flat


def test_helpers_in(tree, path, nodes=None) -> list[tuple[int, str]]:
    """(line, what) for each `.sample` a module gives something (the authorisation matrix's samples live in
    tests/access_samples.py) and each import of test code (tests/, an app's tests package, a conftest)."""
    found = []
    nodes = ast.walk(tree) if nodes is None else nodes  # `nodes`: the tree's, walked already
    for node in nodes:
        for target in _targets(node):
            if not (isinstance(target, ast.Attribute) and target.attr == "sample"):
                continue
            # An object's own `self.sample` (a monitoring review sample) is data, not a factory.
            if not (isinstance(target.value, ast.Name) and target.value.id in ("self", "cls")):
                found.append((node.lineno, f"sets {ast.unparse(target)}"))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "sample"
        ):
            found.append((node.lineno, f"sets {ast.unparse(node)}"))
        if isinstance(node, ast.Import | ast.ImportFrom):
            for module, _ in _imported(node, path):
                if {"tests", "conftest"} & set(module.split(".")):
                    found.append((node.lineno, f"imports {module}"))
    return found


test_helpers_in.__test__ = False  # a helper, not a test


def test_no_test_helpers_in_the_production_package():
    files = list(_production_files())
    assert len(files) > 100 and any(p.name == "access.py" for p, _ in files)  # the scan sees the tree
    found = [
        f"{p.relative_to(ROOT)}:{line} {what}"
        for p, tree in files
        for line, what in test_helpers_in(tree, p, _parsed(p)[1])
    ]
    assert found == [], "test code in production modules; move it under tests/ (see tests/access_samples.py)"


def test_the_test_helper_check_finds_samples_and_imports_of_test_code():
    source = """
from tests.personas import make_staff
import tests.support
from .tests import factories
from openward.crime.tests.factories import StopFactory
area.sample = lambda place: {}
ward_area.area_kind, ward_area.sample = "ward", None
setattr(area, "sample", None)
from openward.crime import stats
self.sample = sample
"""
    path = ROOT / "openward" / "engagement" / "places.py"
    found = test_helpers_in(ast.parse(source), path)
    assert sorted(line for line, _ in found) == [2, 3, 4, 5, 6, 7, 8]
    assert (4, "imports openward.engagement.tests") in found
