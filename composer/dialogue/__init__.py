"""The dialogue: reading the replies to the writer's posts calmly, answering them, and correcting or
withdrawing what was published. Core code (no Textual): the command line and the composer call it.

- `replies`: the replies and mentions of every account, folded where a reply carries hate, obscene
  language or someone's personal information (our own guidelines decide), one request per post or
  per page of notifications, cached for the session.
- `seen`: which replies the writer has already been shown (`replies-seen.json` in the data
  folder; nothing is sent anywhere, nothing is marked read on the server).
- `correct`: withdraw (delete) or correct (edit in place, or delete and publish again) what a draft
  published, recording every step in the draft.
"""
