"""Screens of the composer: compose (main), drafts, accounts, help, and small dialogs."""
