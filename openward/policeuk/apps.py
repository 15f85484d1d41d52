from django.apps import AppConfig


class PoliceukConfig(AppConfig):
    name = "openward.policeuk"
    label = "policeuk"
