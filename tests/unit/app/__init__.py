"""Unit tests of the composition root (app/), without Qt or a real keyring."""
