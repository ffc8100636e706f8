from django.contrib.auth.base_user import BaseUserManager


def normalize_email(email: str) -> str:
    """E-mail is the login: compare it case-insensitively by storing it lower-cased.

    An internationalised domain is kept in its ASCII (punycode) form, the one every mail
    server accepts and the API's `format: email` describes: maria@açaí.com.br is stored
    and shown as maria@xn--aa-4iaz.com.br.
    """
    email = (email or "").strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or domain.isascii():
        return email
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:  # not a domain name at all: left for the validators to reject
        return email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Guests share e-mails and have no password: a login only ever finds an account.
        return self.get(email=normalize_email(username), is_guest=False)

    def _create(self, email, password, **fields):
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("role", self.model.Role.CUSTOMER)
        fields["is_superuser"] = False
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        """Used by `createsuperuser`: an administrator with every permission."""
        fields.update(role=self.model.Role.ADMIN, is_superuser=True)
        return self._create(email, password, **fields)
