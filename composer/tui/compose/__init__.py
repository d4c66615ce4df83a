"""The compose screen's parts, one responsibility each; `tui/screens/compose.py` wires them together.

- `publishing.py`: the publish gate's answer in the panel, the undo window, the publish worker and
  its summary, the panel's per-account actions (resend, mark as sent, reset).
- `corrections.py`: deleting what a draft published, and publishing a correction over it.
- `images.py`: the draft's images (F6 attaches one; the list edits and removes them).
"""
