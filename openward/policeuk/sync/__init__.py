"""Keep Open Ward current from any police.uk-compatible API (see docs/decisions/0012-sync-policeuk.md)."""
