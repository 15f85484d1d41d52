"""Models for crime."""
