from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openward.accounts"
    label = "accounts"
