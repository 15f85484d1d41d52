"""Models for priorities."""
