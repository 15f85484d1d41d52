from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openward.accounts"
    label = "accounts"

    def ready(self):
        from openward.core.hooks import autodiscover

        autodiscover(self.name)
