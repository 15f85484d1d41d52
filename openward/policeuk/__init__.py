"""The data.police.uk-compatible read API (same paths, parameters, shapes and errors)."""
