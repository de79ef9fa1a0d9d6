"""Unit tests of the facade (app/backend/): LocalBackend and its mixins, each on a real profile."""
