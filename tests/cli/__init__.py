"""Tests of the consultbot command line and its config file."""
