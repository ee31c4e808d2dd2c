"""Probabilistic person linkage with Splink, for the records exact ID matching cannot place."""
