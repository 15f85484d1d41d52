"""Keep Open Ward current from any police.uk-compatible API.

See docs/decisions/0005-sync-policeuk-through-the-importers.md.
"""
