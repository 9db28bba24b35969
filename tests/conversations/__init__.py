"""Tests of the question-flow engine and the consultation file loader."""
