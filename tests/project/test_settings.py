"""Settings from the environment: safe defaults, production refusals, check --deploy."""

from __future__ import annotations

from tests.fixtures.processes import SECRET, run


def test_nothing_configured_means_sqlite_and_in_process_tasks():
    result = run(
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='configurator.settings.local';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "vi"]


def test_a_database_url_and_a_broker_switch_to_postgresql_and_workers():
    result = run(
        "-c",
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='configurator.settings.local';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run("manage.py", "check", DJANGO_SETTINGS_MODULE="configurator.settings.production")
    assert result.returncode != 0
    assert (
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production."
        in result.stderr
    )


def test_production_passes_check_deploy_without_a_warning():
    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="configurator.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="shop.example.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_migrations_are_complete():
    result = run(
        "manage.py",
        "makemigrations",
        "--check",
        "--dry-run",
        DJANGO_SETTINGS_MODULE="configurator.settings.test",
    )
    assert result.returncode == 0, result.stdout + result.stderr
