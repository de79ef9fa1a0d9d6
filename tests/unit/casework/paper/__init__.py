"""Tests of the paper renderer (casework.paper.form*)."""
