"""Unit tests of the casework package."""
