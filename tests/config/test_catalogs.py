"""The translation catalogs in locale/: complete, compiled, and in step with the code.

Each language in settings.LANGUAGES other than the source language (English) has a catalog;
every entry is translated and none is fuzzy; the committed .mo says what the .po says (a
fresh clone needs no system gettext, docs/i18n.md); translations keep their placeholders; and
no string marked in the code or templates is missing from a catalog. That last check runs
Django's makemessages, which needs xgettext: without it the test skips locally and fails
under CONVENE_REQUIRE_SERVICES=1 (the ``gettext`` marker, tests/conftest.py).
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "locale"
# What the Makefile's `messages` target leaves out of extraction (its --ignore list).
NOT_EXTRACTED = (".*", "tests", "bench", "var", "staticfiles", "locale", "__pycache__", "htmlcov")

# %(name)s / %(count)d, and a bare %s / %d; {{ var }} in case a template string slips through.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\{\s*[\w.|:\"']+\s*\}\}")
# Markup inside a message (links, <strong>) must survive translation too.
TAG = re.compile(r"</?\w+[^>]*>")

TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def _catalog_paths() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_language_but_english_has_a_catalog(language: str) -> None:
    assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").is_file()
    assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("po_path", _catalog_paths(), ids=lambda path: path.parts[-3])
def test_catalog_has_no_untranslated_or_fuzzy_entry(po_path: Path) -> None:
    catalog = polib.pofile(str(po_path))
    active = [entry for entry in catalog if not entry.obsolete]
    untranslated = [entry.msgid for entry in active if not all(_translations(entry))]
    fuzzy = [entry.msgid for entry in active if "fuzzy" in entry.flags]
    assert untranslated == [], f"{len(untranslated)} untranslated in {po_path}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {po_path}"
    assert not catalog.metadata_is_fuzzy
    assert active, "an empty catalog translates nothing"


@pytest.mark.parametrize("po_path", _catalog_paths(), ids=lambda path: path.parts[-3])
def test_committed_mo_matches_its_po(po_path: Path) -> None:
    """Recompile after editing a .po: `.venv/bin/python bin/compile-messages`."""
    expected = polib.pofile(str(po_path))
    expected_entries = {
        _key(entry): _translations(entry) for entry in expected.translated_entries()
    }
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled_entries = {_key(entry): _translations(entry) for entry in compiled if entry.msgid}
    assert compiled_entries == expected_entries, "stale .mo: run bin/compile-messages"
    # And gettext itself reads it with the plural rule of the .po.
    with po_path.with_suffix(".mo").open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.info()["plural-forms"] == expected.metadata["Plural-Forms"]


@pytest.mark.parametrize("po_path", _catalog_paths(), ids=lambda path: path.parts[-3])
def test_translations_keep_the_placeholders_and_markup_of_their_msgid(po_path: Path) -> None:
    catalog = polib.pofile(str(po_path))
    wrong = []
    for entry in catalog.translated_entries():
        for source, translation in zip(
            [entry.msgid, *([entry.msgid_plural] * (len(_translations(entry)) - 1))],
            _translations(entry),
            strict=True,
        ):
            for pattern in (PLACEHOLDER, TAG):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(translation)):
                    wrong.append((entry.msgid, translation))
    assert wrong == []


def test_the_placeholder_check_catches_a_lost_or_renamed_placeholder() -> None:
    assert PLACEHOLDER.findall("Hello %(name)s, %(count)d left") == ["%(name)s", "%(count)d"]
    assert PLACEHOLDER.findall("سلام %(nam)s") != PLACEHOLDER.findall("Hello %(name)s")
    assert PLACEHOLDER.findall("{{ title }} is {{ event.kind }}") == [
        "{{ title }}",
        "{{ event.kind }}",
    ]


def test_persian_catalog_uses_persian_letters_and_punctuation() -> None:
    """Arabic yeh and kaf look alike but sort, search and join differently; a Latin comma or
    question mark sits oddly in Persian text; the verb prefix می is joined with a zero-width
    non-joiner (می‌شود), never with a space."""
    catalog = polib.pofile(str(LOCALE_DIR / "fa" / "LC_MESSAGES" / "django.po"))
    arabic_letters = []
    latin_punctuation = []
    spaced_prefixes = []
    for entry in catalog.translated_entries():
        for translation in _translations(entry):
            if re.search("[\u064a\u0643]", translation):
                arabic_letters.append(translation)
            # Placeholders, addresses and markup aside.
            prose = re.sub(r"%\(\w+\)\w|https?://\S*|<[^>]+>|\.ics|UTF-8", "", translation)
            if re.search(r"[,;?]", prose):
                latin_punctuation.append(translation)
            if re.search(r"(^|\s)ن?می ", translation):
                spaced_prefixes.append(translation)
    assert arabic_letters == []
    assert latin_punctuation == []
    assert spaced_prefixes == []


@pytest.mark.gettext
def test_every_marked_string_in_the_code_is_in_every_catalog(tmp_path: Path) -> None:
    """makemessages into a copy of the project, then compare message ids with the catalogs."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_EXTRACTED))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fa", "--no-location"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    extracted = {
        _key(entry)
        for entry in polib.pofile(str(copy / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
        if not entry.obsolete
    }
    assert len(extracted) > 100
    for po_path in _catalog_paths():
        catalog = {_key(entry) for entry in polib.pofile(str(po_path)) if not entry.obsolete}
        missing = sorted(extracted - catalog)
        stale = sorted(catalog - extracted)
        assert missing == [], f"{po_path}: run `make messages`, translate, compile (docs/i18n.md)"
        assert stale == [], f"{po_path}: no longer in the code; run `make messages`"
