"""The composer: a Textual app over the headless core (guidelines, drafts, publish, accounts).

Only this package imports Textual. `composer.tui.app.run(path)` starts it; `make_app(...)` builds the
app for tests and benchmarks.
"""
