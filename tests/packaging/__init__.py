"""Smoke tests of the built artefacts (make smoke-bundle); not part of the normal run."""
