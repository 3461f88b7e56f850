"""Subcommands of `osmbridge` kept out of cli.py: each module adds its parser and its handler.

The handlers import the stages they need when they run, so `osmbridge --help` stays fast.
"""
