"""Runs the method over a workspace and checks a series of results."""
