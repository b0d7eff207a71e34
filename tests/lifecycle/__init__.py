"""Stateful (hypothesis) tests that live through a year of a programme."""
