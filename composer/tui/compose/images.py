"""The open draft's images on the compose screen: F6 attaches one (file and alt text, in
`tui/screens/images.py`), the images list (`tui/widgets/images.py`) edits or removes one."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.drafts import Draft
    from composer.drafts.model import ImageRef
    from composer.tui.screens.compose import ComposeScreen


class DraftImages:
    """Shows the draft's images and changes them (the draft, the autosaver and the checks follow)."""

    def __init__(self, screen: ComposeScreen) -> None:
        self.screen = screen

    def show(self, draft: Draft) -> None:
        from composer.tui.widgets.images import ImagesList

        with contextlib.suppress(Exception):  # not mounted yet: shown when it is
            self.screen.query_one("#images", ImagesList).show(draft.images, draft.path)

    def open_dialog(self, index: int | None) -> None:
        """Attach an image (`index` None), or change the one at `index`."""
        from composer.tui.screens.images import AttachImageModal

        screen = self.screen
        draft = screen.composer.draft
        if draft is None:
            return
        current = draft.images[index] if index is not None and index < len(draft.images) else None

        def done(image: ImageRef | None) -> None:
            if image is None or screen.composer.draft is not draft:
                return
            images = list(draft.images)
            if index is not None and index < len(images):
                images[index] = image
            else:
                images.append(image)
            self.set(images)
            screen.notify(f"{image.name} attached, with its alt text." if current is None
                          else f"{image.name} changed.", title="Images")

        screen.app.push_screen(AttachImageModal(draft.path, current), done)

    def set(self, images: list[ImageRef]) -> None:
        """The draft's images are now `images`."""
        screen = self.screen
        draft = screen.composer.draft
        if draft is None:
            return
        screen.composer.draft_changed(images=images)
        draft.images = list(images)  # (the autosaver's draft is this one; set it for a session without one too)
        self.show(draft)
        screen.note_change()

    def remove(self, index: int) -> None:
        screen = self.screen
        draft = screen.composer.draft
        if draft is None or not 0 <= index < len(draft.images):
            return
        images = list(draft.images)
        gone = images.pop(index)
        self.set(images)
        screen.notify(f"{gone.name} removed from the draft (the file stays where it is).", title="Images")
        screen.editor.focus()
