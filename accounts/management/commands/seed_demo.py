from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Each app that has demo data adds its seeder here, in dependency order.
SEEDERS = ["accounts.demo.seed", "catalog.demo.seed", "carts.demo.seed"]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        for path in SEEDERS:
            for line in import_string(path)():
                self.stdout.write(line)
