"""Unit tests of what a release is made of: its version, lock file and NEWS."""
