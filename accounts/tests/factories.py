import factory
from factory.django import DjangoModelFactory

from accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(DjangoModelFactory):
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.CUSTOMER
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True


class AdminFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.com")
    role = User.Role.ADMIN
