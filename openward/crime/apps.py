from django.apps import AppConfig


class CrimeConfig(AppConfig):
    name = "openward.crime"
    label = "crime"
