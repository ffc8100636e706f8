from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# One seeder per app with demo data, in dependency order; each goes through that app's services.
SEEDERS = [
    "demo.accounts.seed",
    "demo.catalog.seed",
    "demo.events.seed",
    "demo.carts.seed",
    "demo.payments.seed",
    "demo.flashsales.seed",
]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        for path in SEEDERS:
            for line in import_string(path)():
                self.stdout.write(line)
