#!/usr/bin/env python
"""Django's command-line utility, with the persistence chosen at start-up.

python manage.py --persistence postgres --database-url postgres://... migrate
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from core.persistence import apply_cli_options

    try:
        argv = apply_cli_options(sys.argv, os.environ)
    except ValueError as exc:
        sys.exit(f"manage.py: {exc}")

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
