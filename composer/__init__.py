"""Humane Composer: compose social-media posts that keep the rules of humane posting."""

__version__ = "0.1.0"
