"""`manage.py serve` runs gunicorn with threads, the right task worker and the scheduler (make run starts it);
`serve --dev` (make dev) the development server with the same worker and scheduler."""

from pathlib import Path

from django.core.management import load_command_class

ROOT = Path(__file__).resolve().parents[3]


def processes(**options):
    command = load_command_class("openward.core", "serve")
    return command.processes(
        options.get("host", "127.0.0.1"), options.get("port", 8123), 2, 4, options.get("dev", False)
    )


def test_the_web_server_is_gunicorn_with_threads_on_the_port_asked_for():
    web = processes()["web"]
    assert web[1:4] == ["-m", "gunicorn", "openward.wsgi"]
    assert {"--bind=127.0.0.1:8123", "--workers=2", "--threads=4", "--worker-class=gthread", "--timeout=30"} <= set(web)


def test_workers_are_forked_from_a_master_that_loaded_the_application():
    """--preload: openward.wsgi's warm-up (scipy, the views, the API schema) happens once, before the fork."""
    assert "--preload" in processes()["web"]


def _loaded_by(code: str) -> set[str]:
    """The slow modules loaded once `code` has run in a fresh process with the test settings."""
    import json
    import os
    import subprocess
    import sys

    from openward.core.warmup import SLOW_IMPORTS

    script = f"import json, sys\n{code}\nprint(json.dumps([m for m in {list(SLOW_IMPORTS)!r} if m in sys.modules]))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openward.settings.test"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_a_server_loads_scipy_before_its_first_request_and_a_command_does_not():
    """The first hot-spot answer in a worker used to import scipy while the person waited (15 s on a busy
    machine, past the request deadline); a management command still starts without it."""
    from openward.core.warmup import SLOW_IMPORTS

    assert _loaded_by("import openward.wsgi") == set(SLOW_IMPORTS)
    command_start = "import django; django.setup()\nfrom django.urls import get_resolver\nget_resolver().url_patterns"
    assert _loaded_by(command_start) == set()


def test_the_database_worker_without_redis_and_rq_with_it(settings):
    settings.REDIS_URL = ""
    assert processes()["worker"][-1] == "db_worker"
    settings.REDIS_URL = "redis://127.0.0.1:6379/6"
    worker = processes()["worker"]
    assert worker[2:4] == ["rqworker", "default"] and "--with-scheduler" in worker


def test_the_scheduler_runs_beside_them():
    assert processes()["scheduler"][-1] == "run_scheduler"


def test_make_dev_runs_the_development_server_with_the_same_worker_and_scheduler(settings):
    settings.REDIS_URL = ""
    dev, production = processes(dev=True, port=8124), processes(port=8124)
    assert dev["web"][1:] == [str(ROOT / "manage.py"), "runserver", "127.0.0.1:8124"]
    assert dev["worker"] == production["worker"] and dev["scheduler"] == production["scheduler"]


def test_make_dev_serves_through_the_serve_command():
    recipe = (ROOT / "Makefile").read_text().split("\ndev:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py serve --dev" in recipe and "runserver" not in recipe
