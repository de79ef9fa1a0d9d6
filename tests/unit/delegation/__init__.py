"""Unit tests of the delegation package."""
