"""Models for verification."""
