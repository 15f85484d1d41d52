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
