"""Signals other apps listen to when places change."""

from django.dispatch import Signal

# Sent after a ward boundary import commits, with `generation` (a WardGeneration).
ward_generation_imported = Signal()
