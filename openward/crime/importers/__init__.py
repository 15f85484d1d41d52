"""Importers for data.police.uk files and saved API responses."""

from .policeuk import PoliceUkImporter

__all__ = ["PoliceUkImporter"]
