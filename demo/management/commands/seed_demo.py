from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

# One seeder per app with demo data, in dependency order; each goes through that app's services.
SEEDERS = [
    "demo.accounts.seed",
    "demo.delivery.seed",
    "demo.catalog.seed",
    "demo.events.seed",
    "demo.carts.seed",
    "demo.payments.seed",
    "demo.flashsales.seed",
]


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed under the production settings too (a throw-away shop such as "
            "`make run-prod`); the demo accounts then get random passwords, printed once.",
        )

    def handle(self, *args, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo data under the production settings: demo accounts "
                "would open the shop to anyone. Pass --allow-production for a throw-away shop."
            )
        for path in SEEDERS:
            for line in import_string(path)():
                self.stdout.write(line)
