"""The English and Indonesian catalogues: complete, consistent with the source code, compiled, and used.

A string added to a template or to Python code without a translation fails here, so a page never shows
English to an Indonesian user by accident. Regenerate and compile the catalogues with ``make messages``.
"""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stdout
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.core.management import call_command

import mitra
from tests import factories as f

PACKAGE = Path(mitra.__file__).parent
LOCALE = PACKAGE / "locale"
LANGUAGES = ("en", "id")
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "id": "nplurals=1; plural=0;"}
# The same folders `make messages` ignores: tests and migrations hold no user-visible strings.
IGNORED = ("*/tests/*", "*/migrations/*")

# %(name)s, %s, %d, … (python-format), and HTML tags, which a translation must keep as they are.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

Key = tuple[str | None, str | tuple[str, ...]]


@cache
def catalogue(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as fh:
        return read_po(fh, locale=language, abort_invalid=True)


def messages(language: str) -> list[Message]:
    return [m for m in catalogue(language) if m.id]


def key(message: Message) -> Key:
    return (message.context, tuple(message.id) if message.pluralizable else message.id)


def strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)


def markers(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", ""))) + sorted(TAG.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header_names_its_language_and_plural_rule(language):
    cat = catalogue(language)
    assert not cat.fuzzy, "the header is marked fuzzy, so msgfmt ignores it"
    assert cat.mime_headers and dict(cat.mime_headers)["Language"] == language
    assert dict(cat.mime_headers)["Plural-Forms"] == PLURAL_FORMS[language]
    assert dict(cat.mime_headers)["Content-Type"].lower() == "text/plain; charset=utf-8"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    cat = catalogue(language)
    assert len(messages(language)) > 400
    untranslated = [m.id for m in messages(language) if not all(strings(m))]
    fuzzy = [m.id for m in messages(language) if m.fuzzy]
    wrong_plurals = [m.id for m in messages(language) if m.pluralizable and len(m.string) != cat.num_plurals]
    assert untranslated == [], f"translate these in locale/{language}/LC_MESSAGES/django.po"
    assert fuzzy == [], f"check these and remove their `#, fuzzy` flag in locale/{language}"
    assert wrong_plurals == [], f"these need exactly {cat.num_plurals} plural form(s)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_tags_of_the_source(language):
    forms = catalogue(language).num_plurals
    mismatches = []
    for message in messages(language):
        for index, translated in enumerate(strings(message)):
            if message.pluralizable:
                # With one plural form (Indonesian) that form stands for every count, so it follows the plural.
                source = message.id[0] if index == 0 and forms > 1 else message.id[1]
            else:
                source = message.id
            if markers(source) != markers(translated):
                mismatches.append((source, translated))
    assert mismatches == []


def test_english_catalogue_repeats_the_source():
    differing = [m.id for m in messages("en") if strings(m) != (tuple(m.id) if m.pluralizable else (m.id,))]
    assert differing == []


def test_both_catalogues_hold_the_same_messages():
    assert {key(m) for m in messages("en")} == {key(m) for m in messages("id")}


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = read_mo(fh)
    in_mo = {key(m): strings(m) for m in compiled if m.id}
    in_po = {key(m): strings(m) for m in messages(language)}
    assert in_mo == in_po, "the .mo is stale: run `make messages` (it compiles) and commit the .mo"


def test_every_string_in_the_source_is_in_the_catalogues(tmp_path, monkeypatch):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail(
            "GNU gettext is not installed (xgettext, msgmerge): install it, e.g. `apt-get install gettext`"
        )
    # Extract from a copy of the package into an empty locale folder, so the committed catalogues stay untouched.
    source = tmp_path / "mitra"
    shutil.copytree(
        PACKAGE,
        source,
        ignore=shutil.ignore_patterns("locale", "tests", "migrations", "static", "var", "__pycache__"),
    )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["id"], ignore_patterns=list(IGNORED), no_obsolete=True, verbosity=0)
    # A fresh catalogue has two empty plural forms where Indonesian has one; Babel would print a warning.
    with (
        (source / "locale" / "id" / "LC_MESSAGES" / "django.po").open("rb") as fh,
        redirect_stdout(io.StringIO()),
    ):
        extracted = {key(m) for m in read_po(fh) if m.id}
    committed = {key(m) for m in messages("id")}
    assert len(extracted) > 400
    assert sorted(extracted - committed, key=str) == [], "new strings: run `make messages` and translate them"
    assert sorted(committed - extracted, key=str) == [], "strings gone from the source: run `make messages`"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [("id", "Masuk ke Mitra", "Sign in to Mitra"), ("en", "Sign in to Mitra", "Masuk ke Mitra")],
)
def test_sign_in_page_speaks_the_chosen_language(client, language, expected, absent):
    client.cookies["mitra_language"] = language
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html
    assert f'<h1 class="page-title">{expected}</h1>' in html
    assert absent not in html
    assert response["Content-Language"] == language


@pytest.mark.django_db
def test_indonesian_sign_in_page_translates_the_button_and_the_library_form(client):
    client.cookies["mitra_language"] = "id"
    html = client.get("/accounts/login/").content.decode()
    assert '<button type="submit" class="btn btn--primary btn--block">Masuk</button>' in html
    assert "Sign in" not in html
    assert "Password" not in html  # allauth's own Indonesian catalogue labels its form fields


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("id", "Kemitraan saya"), ("en", "My partnerships")])
def test_pages_follow_the_organisation_language_without_a_cookie(client, language, heading):
    membership = f.MembershipFactory(organisation=f.OrganisationFactory(language=language))
    client.force_login(membership.user)
    html = client.get("/partnerships/").content.decode()
    assert f"<h1>{heading}</h1>" in html
