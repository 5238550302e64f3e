"""The ``mitra`` command line: demo, token, run and serve, in-process and as real processes."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mitra.accounts.models import ApiToken, Organisation, User
from mitra.accounts.services import api_token_authenticate
from mitra.core.management.commands.run import logins_table
from mitra.core.management.commands.serve import gunicorn_argv

ADMIN = "diana.hassanah@sumberrasa.example"  # the first person of PT Sumber Rasa Nusantara with seed 1


# Not passed on to the processes a test starts: the caller's settings, and DJANGO_ALLOW_ASYNC_UNSAFE, which
# the browser tests' conftest sets for the whole session and which `check --deploy` rightly refuses.
LEAKY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"}


def clean_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """An environment without any MITRA_* of the caller: a private SQLite file under ``var_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_") and k not in LEAKY}
    env.update({"MITRA_VAR_DIR": str(var_dir), "MITRA_DEBUG": "1", "PYTHONUNBUFFERED": "1"}, **extra)
    return env


def mitra(var_dir: Path, *args: str, timeout: int = 120, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mitra", *args],
        env=clean_env(var_dir, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited early with {process.returncode}"
        try:
            return get(url)
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (read from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# --- token (in-process) --------------------------------------------------------------------------------------


def token(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_token_create_prints_only_a_token_that_works_on_the_api(client):
    call_command("demo", stdout=StringIO())
    out = token("create", "--email", ADMIN.upper(), "--name", "Laptop")
    raw = out.strip()
    assert out == raw + "\n"
    assert raw.startswith("mitra_")
    assert len(raw.splitlines()) == 1
    stored = ApiToken.objects.get()
    assert stored.name == "Laptop"
    assert stored.membership.user.email == ADMIN
    assert raw not in {stored.token_hash, stored.prefix}

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == ADMIN
    assert body["organisation"]["name"] == "PT Sumber Rasa Nusantara"
    assert api_token_authenticate(raw) is not None


@pytest.mark.django_db
def test_token_list_and_revoke(client):
    call_command("demo", stdout=StringIO())
    raw = token("create", "--email", ADMIN).strip()
    stored = ApiToken.objects.get()
    listing = token("list", "--email", ADMIN)
    assert stored.prefix in listing
    assert "active" in listing
    assert "Command line" in listing

    assert (
        token("revoke", "--id", str(stored.pk)).strip()
        == f"Revoked token {stored.pk} ({stored.prefix}…) of {ADMIN}."
    )
    assert "revoked" in token("list", "--email", ADMIN)
    assert api_token_authenticate(raw) is None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


@pytest.mark.django_db
def test_token_errors_are_clear():
    call_command("demo", stdout=StringIO())
    User.objects.create_user("loner@nowhere.example", "a-password-1234")
    with pytest.raises(CommandError, match=r"No user with the e-mail address .nobody@nowhere\.example."):
        token("create", "--email", "nobody@nowhere.example")
    with pytest.raises(CommandError, match="not an active member of any organisation"):
        token("create", "--email", "loner@nowhere.example")
    with pytest.raises(CommandError, match="No API token with id 999"):
        token("revoke", "--id", "999")
    assert "has no API tokens" in token("list", "--email", ADMIN)
    assert ApiToken.objects.count() == 0


def test_logins_table_is_readable():
    logins = [
        {
            "email": "a@x.example",
            "password": "pw",
            "organisation": "PT A",
            "departments": ["Sales"],
            "role": "admin",
        },
        {
            "email": "bb@x.example",
            "password": "pw",
            "organisation": "PT A",
            "departments": [],
            "role": "viewer",
        },
    ]
    assert logins_table(logins).splitlines() == [
        "E-mail        Password  Organisation  Role",
        "------------  --------  ------------  ------",
        "a@x.example   pw        PT A          admin",
        "bb@x.example  pw        PT A          viewer",
    ]
    assert (
        logins_table(logins, limit=1).splitlines()[-1]
        == "… and 1 more: `mitra demo --logins` lists them all."
    )
    # Cut short, the table keeps the admins: every organisation's first person to sign in as.
    members = [{**logins[1], "email": f"m{i}@x.example", "role": "member"} for i in range(5)]
    other_admin = {**logins[0], "email": "z@y.example", "organisation": "PT Z"}
    table = logins_table([logins[0], *members, other_admin], limit=2)
    assert [line.split()[0] for line in table.splitlines()[2:4]] == ["a@x.example", "z@y.example"]


def test_serve_runs_gunicorn_with_the_wsgi_app_and_an_access_log():
    argv = gunicorn_argv(
        bind="0.0.0.0:8123", workers=3, threads=2, timeout=30, extra=["--max-requests", "1000"]
    )
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "mitra.config.wsgi:application"]
    joined = " ".join(argv)
    for part in ("--bind 0.0.0.0:8123", "--workers 3", "--threads 2", "--timeout 30", "--access-logfile -"):
        assert part in joined
    assert argv[-2:] == ["--max-requests", "1000"]


@pytest.mark.django_db
def test_demo_refuses_a_non_empty_database_in_process():
    Organisation.objects.create(name="PT Sudah Ada")
    with pytest.raises(CommandError, match=r"already has 1 organisation\(s\)"):
        call_command("demo", stdout=StringIO())
    assert Organisation.objects.count() == 1


# --- real processes --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("cli")
    migrate = mitra(var, "migrate", "-v0")
    assert migrate.returncode == 0, migrate.stderr
    seed = mitra(var, "demo", "--size", "small")
    assert seed.returncode == 0, seed.stderr
    assert "8 organisations, 87 people, 10 partnerships, 21 bridges" in seed.stdout
    return var


def test_cli_demo_refuses_twice_with_a_clear_message_and_exit_1(seeded):
    again = mitra(seeded, "demo")
    assert again.returncode == 1
    assert "CommandError: The database already has 8 organisation(s). Use --reset" in again.stderr
    assert again.stdout == ""


def test_cli_demo_logins_prints_json_only(seeded):
    result = mitra(seeded, "demo", "--logins")
    assert result.returncode == 0, result.stderr
    logins = json.loads(result.stdout)
    assert len(logins) == 87
    assert logins[0] == {
        "email": "akarsana.simbolon@andalasniaga.example",
        "password": "mitra-demo-2026",
        "organisation": "CV Andalas Niaga Distribusi",
        "departments": ["Purchasing"],
        "role": "admin",
    }


def test_cli_token_create_stdout_is_the_token_and_errors_exit_non_zero(seeded):
    created = mitra(seeded, "token", "create", "--email", ADMIN)
    assert created.returncode == 0, created.stderr
    assert created.stdout.count("\n") == 1
    assert created.stdout.startswith("mitra_")
    unknown = mitra(seeded, "token", "create", "--email", "nobody@nowhere.example")
    assert unknown.returncode == 1
    assert unknown.stdout == ""
    assert "CommandError: No user with the e-mail address 'nobody@nowhere.example'." in unknown.stderr
    missing = mitra(seeded, "token", "create")
    assert missing.returncode == 2
    assert "the following arguments are required: --email" in missing.stderr


def test_cli_serve_answers_pages_and_static_files_in_production_mode(seeded):
    port = free_port()
    production = {
        "MITRA_DEBUG": "0",
        "MITRA_SECRET_KEY": secrets.token_urlsafe(50),
        "MITRA_ALLOWED_HOSTS": "127.0.0.1",
        "MITRA_SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "mitra", "serve", "--port", str(port), "--workers", "1", "--collectstatic"],
        env=clean_env(seeded, **production),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, body = wait_for(f"http://127.0.0.1:{port}/accounts/login/", server)
        assert status == 200
        assert 'name="password"' in body
        static, css = get(f"http://127.0.0.1:{port}/static/admin/css/base.css")
        assert static == 200
        assert "body" in css
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert f"Mitra serving on 0.0.0.0:{port} with 1 worker(s)" in output
    assert '"GET /accounts/login/ HTTP/1.1" 200' in output  # the access log
    assert (seeded / "static" / "staticfiles.json").exists()


def test_cli_run_migrates_seeds_prints_logins_serves_and_stops_its_children(tmp_path):
    port = free_port()
    run = subprocess.Popen(
        [sys.executable, "-m", "mitra", "run", "--port", str(port), "--no-reload"],
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, _ = wait_for(f"http://127.0.0.1:{port}/accounts/login/", run, seconds=90)
        assert status == 200
        children = descendants(run.pid)
        assert len(children) >= 2  # the worker and the server
    finally:
        run.send_signal(signal.SIGTERM)
        output, _ = run.communicate(timeout=30)
    assert "writing the small demo world" in output
    assert "Demo logins (password 'mitra-demo-2026' for everyone):" in output
    assert "E-mail" in output
    assert re.search(
        r"\ndiana\.hassanah@sumberrasa\.example +mitra-demo-2026 +PT Sumber Rasa Nusantara +admin\n", output
    )
    assert f"Mitra: http://127.0.0.1:{port}/" in output
    deadline = time.monotonic() + 15
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if alive(pid)]
