"""`make messages`: refresh the Brazilian Portuguese catalog from the code, then compile it.

    python -m config.messages

makemessages (GNU gettext's xgettext) collects every marked string into
locale/pt_BR/LC_MESSAGES/*.po; translate the new entries there, then run this again to
write the .mo files, which are committed so that `make run` needs no gettext. polib
compiles them, so the compiled catalog never depends on which msgfmt a machine has.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "locale" / "pt_BR" / "LC_MESSAGES"
# Shipped code only: tests, test helpers, benchmarks and operations scripts speak to developers.
MAKEMESSAGES = [
    "-l", "pt_BR", "--no-obsolete", "--no-location",
    "--ignore", ".venv/*", "--ignore", "staticfiles/*", "--ignore", "bench/*",
    "--ignore", "*/tests/*", "--ignore", "testing/*", "--ignore", "ops/*",
]  # fmt: skip
DOMAINS = ("django", "djangojs")


def compile_catalog() -> None:
    import polib

    for po_path in CATALOG.glob("*.po"):
        po = polib.pofile(str(po_path))
        po.metadata_is_fuzzy = False
        po.save_as_mofile(str(po_path.with_suffix(".mo")))


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"  # any installed apps will do
    import django
    from django.core.management import call_command

    django.setup()
    for domain in DOMAINS:
        call_command("makemessages", *MAKEMESSAGES, "-d", domain)
    compile_catalog()
    print(f"Catalog refreshed and compiled in {CATALOG.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
