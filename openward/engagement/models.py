"""Models for engagement."""
