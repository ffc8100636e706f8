"""Demo accounts for `manage.py seed_demo`, created through the account services.

The passwords below are public (the README and the embedded home page show them), so under
the production settings each account gets a random one instead, printed once at creation.
"""

import secrets

from django.conf import settings

from accounts.models import User
from accounts.services import user_create

ADMIN = {
    "email": "admin@shop.localhost",
    "password": "admin-demo-2026",
    "first_name": "Ana",
    "last_name": "Admin",
}
CUSTOMERS = [
    {
        "email": "maria@shop.localhost",
        "password": "maria-demo-2026",
        "first_name": "Maria",
        "last_name": "Silva",
        "cpf": "529.982.247-25",
    },
    {
        "email": "joao@shop.localhost",
        "password": "joao-demo-2026",
        "first_name": "João",
        "last_name": "Souza",
    },
    {
        "email": "carla@shop.localhost",
        "password": "carla-demo-2026",
        "first_name": "Carla",
        "last_name": "Lima",
    },
]


def seed() -> list[str]:
    """Create the demo admin and customers unless they exist; return their logins."""
    lines = []
    for data, role in [(ADMIN, User.Role.ADMIN), *((c, User.Role.CUSTOMER) for c in CUSTOMERS)]:
        exists = User.objects.filter(email=data["email"]).exists()
        password = data["password"]
        if settings.PRODUCTION:
            password = "(unchanged)" if exists else secrets.token_urlsafe(12)
        if not exists:
            user = user_create(role=role, **{**data, "password": password})
            # Demo mailboxes (shop.localhost) cannot receive the link: verified as seeded.
            User.objects.filter(pk=user.pk).update(email_verified=True)
        lines.append(f"{role:<8}  {data['email']}  /  {password}")
    return lines
