from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.managers import UserManager, normalize_email
from accounts.validators import CPFField

EMAIL_TAKEN = "A user with this e-mail already exists."


class User(AbstractBaseUser, PermissionsMixin):
    """A shop account. E-mail is the login; administrators are the staff."""

    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        ADMIN = "admin", _("Administrator")

    # The login, so one account per e-mail; guests (no password) may share one (Meta).
    email = models.EmailField("e-mail", db_index=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    cpf = CPFField(
        "CPF",
        unique=True,
        null=True,
        blank=True,
        error_messages={"unique": "A user with this CPF already exists."},
        help_text="Optional; 11 digits, stored without punctuation.",
    )
    phone = models.CharField(
        max_length=16, blank=True, help_text="E.164, e.g. +5511987654321 (accounts.validators)."
    )
    is_active = models.BooleanField(default=True)
    is_guest = models.BooleanField(
        default=False,
        help_text="Shops with an e-mail and no password: cart, purchase and payment only. "
        "Its orders pass to an account only once that account has verified the e-mail.",
    )
    is_staff = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_verified = models.BooleanField(
        "e-mail verified",
        default=False,
        help_text="The owner followed the link sent to this e-mail address.",
    )
    token_generation = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Moves on at each password reset or change: older tokens are refused.",
    )
    tokens_revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the owner's data was erased."
    )
    language = models.CharField(
        max_length=8,
        choices=[("pt-br", "Português (Brasil)"), ("en", "English")],
        default="pt-br",
        help_text="The language of the shop's e-mails and pages for this account.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["role"], name="accounts_user_role_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(is_guest=False),
                name="accounts_user_email_unique_unless_guest",
                violation_error_message=EMAIL_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(is_guest=False) | Q(role="customer"),
                name="accounts_user_guest_is_customer",
            ),
            models.CheckConstraint(
                condition=Q(role="admin", is_staff=True) | Q(role="customer", is_staff=False),
                name="accounts_user_staff_iff_admin",
            ),
            models.CheckConstraint(
                condition=Q(is_superuser=False) | Q(role="admin"),
                name="accounts_user_superuser_is_admin",
            ),
        ]

    def __str__(self):
        return self.email

    # The address as read, and whether a link just proved a new one (email_change_confirm).
    _loaded_email: str | None = None
    _email_proven = False

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        if "email" in field_names:
            user._loaded_email = user.email
        return user

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)
        self.is_staff = self.is_admin

    def save(self, *args, **kwargs):
        # Staff access follows the role, whichever path saved the user.
        self.is_staff = self.is_admin
        # A new password (set_password: the API, the admin, `changepassword`) ends every
        # sign-in made with the old one, whichever path set it.
        password_changed = self.pk is not None and self._password is not None
        moved = self._loaded_email is not None and self.email != self._loaded_email
        if moved and not self._email_proven:
            self.email_verified = False  # a new address is unproven (staff typed it, say)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "email_verified"}
        super().save(*args, **kwargs)
        self._loaded_email, self._email_proven = self.email, False
        if password_changed:
            from accounts.tokens import user_tokens_revoke

            user_tokens_revoke(user=self)

    @property
    def is_registered_customer(self) -> bool:
        """A customer with an account of their own: flash sales and chat are theirs only."""
        return self.is_customer and not self.is_guest

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_customer(self) -> bool:
        return self.role == self.Role.CUSTOMER

    # Two roles only: an administrator holds every back-office permission.
    def has_perm(self, perm, obj=None) -> bool:
        return (self.is_active and self.is_admin) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return (self.is_active and self.is_admin) or super().has_module_perms(app_label)

    @property
    def display_name(self) -> str:
        """How other customers see this account (the chat): a first name and the initial of
        the last, never the e-mail."""
        if not self.first_name:
            return f"Customer {self.pk}"
        initial = f" {self.last_name[0]}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class DeniedToken(models.Model):
    """A token id refused until `until`: an access token's `jti`, or a session's `sid` (every
    token of one sign-in). The record behind the cache's denylist (accounts/tokens.py)."""

    token_id = models.CharField(max_length=64, unique=True)
    until = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.token_id


class AccountMail(models.Model):
    """An account e-mail to send (a verification link, a reset link, a notice), sent once
    by core.mail.send_once. Its link is signed when the message is built, never stored."""

    class Kind(models.TextChoices):
        VERIFY_EMAIL = "verify_email", _("E-mail verification")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        EMAIL_CHANGE = "email_change", _("E-mail change")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    to = models.EmailField("recipient")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.to}"
