"""Configuration from the environment: the README and .env.example list every setting, production is strict."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from mitra.config.env import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
TABLE_START = "<!-- settings-table:start -->"
TABLE_END = "<!-- settings-table:end -->"


def render_table() -> str:
    """The README's configuration table, generated from ``mitra.config.env.SETTINGS``.

    Regenerate it with ``.venv/bin/python -c "from tests.test_config import render_table; print(render_table())"``.
    """
    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "*(empty)*"
        meaning = s.help.replace("|", r"\|")
        rows.append(f"| `{s.name}` | {default} | {meaning} |")
    return "\n".join(rows)


# Not passed on to the processes a test starts: the caller's settings, and DJANGO_ALLOW_ASYNC_UNSAFE, which
# the browser tests' conftest sets for the whole session and which `check --deploy` rightly refuses.
LEAKY = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT"}


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MITRA_") and k not in LEAKY}
    env.update({"MITRA_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "mitra.config.settings"}, **extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)


def test_readme_table_lists_every_setting_with_its_default():
    readme = (ROOT / "README.md").read_text()
    between = readme.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0].strip()
    assert between == render_table()
    for s in SETTINGS:
        row = next(line for line in between.splitlines() if line.startswith(f"| `{s.name}` |"))
        assert row.split(" | ")[1] == (f"`{s.default}`" if s.default else "*(empty)*")


def test_env_example_has_every_setting_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for s in SETTINGS:
        found = [i for i, line in enumerate(lines) if re.match(rf"^#? ?{s.name}=", line)]
        assert len(found) == 1, s.name
        assert lines[found[0] - 1].startswith("#"), f"{s.name} has no comment above it"
    names = {m.group(1) for line in lines if (m := re.match(r"^#? ?([A-Z][A-Z0-9_]+)=", line))}
    assert names == {s.name for s in SETTINGS}


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    code = "import django; django.setup(); print('started')"
    result = run([sys.executable, "-c", code], clean_env(tmp_path))
    assert result.returncode == 1
    assert "started" not in result.stdout
    assert "django.core.exceptions.ImproperlyConfigured: MITRA_SECRET_KEY is not set." in result.stderr
    assert "Production refuses to start without a secret key" in result.stderr

    debugging = run([sys.executable, "-c", code], clean_env(tmp_path, MITRA_DEBUG="1"))
    assert debugging.returncode == 0, debugging.stderr
    assert debugging.stdout.strip() == "started"

    short = run([sys.executable, "-c", code], clean_env(tmp_path, MITRA_SECRET_KEY="too-short"))
    assert short.returncode == 1
    assert "MITRA_SECRET_KEY must be at least 50 characters" in short.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = clean_env(
        tmp_path,
        MITRA_SECRET_KEY=secrets.token_urlsafe(50),
        MITRA_DEBUG="false",
        MITRA_ALLOWED_HOSTS="mitra.example.com",
    )
    result = run([sys.executable, "-m", "mitra", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
