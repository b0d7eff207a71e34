"""A small fixed cast: members, an organiser, clients; fast hashing; no shared cache."""

from __future__ import annotations

import gc
import importlib
import os

import pytest
from allauth.account.models import EmailAddress
from django.db import connections
from django.test import Client

from members.models import User
from pairing.models import Programme
from tests.factories import ProgrammeFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(available: bool, message: str) -> None:
    """In CI a missing service fails the test; on a laptop it skips with the reason."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{message} (CI never skips)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker) -> object:
    """pytest-django's, and before it drops the test databases, a garbage collection: a
    thread that used the database and ended (a request of the live server, a task in an
    embedded worker) leaves its connection open until its wrapper, which refers to
    itself, is collected. Until then PostgreSQL refuses to drop the database ("being
    accessed by other users"), a warning seen now and then at the end of a CI run. A
    thread still alive holds its connection whatever is collected (the warning came back
    once on 2026-12-07): the test database's other sessions, all this process's own, are
    then ended on the server."""
    yield
    gc.collect()
    with django_db_blocker.unblock():
        for alias in connections:
            if connections[alias].vendor == "postgresql":
                with connections[alias].cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if IN_CI and terminalreporter.stats.get("skipped"):
        terminalreporter.write_line("CI: skipped tests are failures here", red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped") and exitstatus == 0:
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Uploads (shared search strategies) land in a fresh folder, never in the project.
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A fresh cache per test: allauth's rate limits would otherwise leak between tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": os.urandom(8).hex(),
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _seeded_lists(request: pytest.FixtureRequest) -> None:
    """The interest list and the site come from a data migration (members 0002). A
    transactional test (the browser tests) ends with a flush that empties them for every
    test after it, and pytest may order tests so that some come after one: seed them
    again, once, where a test uses the database and finds them empty."""
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"})
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        transactional = True
    if not (transactional or marker is not None or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from members.models import Interest

    if not Interest.objects.exists():
        seed = importlib.import_module("members.migrations.0002_seed_interests_and_site").seed
        seed(apps, None)


@pytest.fixture
def tasks_in_process():
    """Queued Celery tasks run at once, in order, as `make run` does: CI has a real broker
    and no worker (and a live server has none), and the app reads its own setting, not
    Django's, once it has started."""
    from config.celery_app import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def member(db: None) -> User:
    return UserFactory(email="ada@example.org", profile__display_name="Ada Lovelace")


@pytest.fixture
def other_member(db: None) -> User:
    return UserFactory(email="grace@example.org", profile__display_name="Grace Hopper")


@pytest.fixture
def organiser(db: None) -> User:
    return UserFactory(
        email="org@example.org",
        is_staff=True,
        is_superuser=True,
        profile__display_name="Olive Organiser",
    )


@pytest.fixture
def programme(db: None) -> Programme:
    return ProgrammeFactory(name="North West coffee")


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(member: User) -> Client:
    return _client_for(member)


@pytest.fixture
def other_client(other_member: User) -> Client:
    return _client_for(other_member)


@pytest.fixture
def organiser_client(organiser: User) -> Client:
    return _client_for(organiser)


@pytest.fixture
def unverified_user(db: None) -> User:
    user = UserFactory(email="new@example.org", verified=False)
    assert not EmailAddress.objects.filter(user=user, verified=True).exists()
    return user
