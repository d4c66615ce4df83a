"""Widgets of the composer: the editor, the guideline sidebar, the publish panel."""
