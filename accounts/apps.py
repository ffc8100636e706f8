from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from axes.signals import user_locked_out

        from accounts.lockout import refuse_locked_api_login

        user_locked_out.connect(refuse_locked_api_login, dispatch_uid="accounts-locked-api-login")

        from accounts.personal import register_sections

        register_sections()
