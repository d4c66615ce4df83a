"""One part of a post on its way out: what the publish template (`base.PlatformClient.publish`)
hands a client's `send_part`, with the records of the parts before it and its images."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from .errors import Rejected
from .records import Checkpoint, Image, PartRecord, PostOptions, Uploaded, digest, part_name


@dataclass
class Sending:
    """One part of a post on its way out: what a client's `send_part` is handed."""

    i: int
    parts: Sequence[str]
    records: list[PartRecord]
    """Every part's record: those before `i` are sent (the thread goes on after the last)."""
    options: PostOptions
    checkpoint: Checkpoint
    answering: PartRecord | None = None
    """The reader's post the first part answers (`options.reply_to`, resolved by the client's
    `reply_target`); None for a post that answers nobody."""
    images: Sequence[Image] = ()
    """The images this part carries (prepared for this platform), in order."""
    uploader: Callable[[Image], Awaitable[Uploaded]] | None = None
    _uploaded: list[Uploaded] | None = None

    async def uploaded(self) -> list[Uploaded]:
        """This part's images on the server (uploaded on the first call, with the client's `upload`
        hook). A client calls it only when it is about to post: a part found on the server by a
        retry uploads nothing, and a retry after a dropped answer uploads at most again (an
        orphan upload is harmless; the post itself is never doubled)."""
        if self._uploaded is None:
            if self.images and self.uploader is None:
                raise Rejected("This platform takes no images.")
            done = []
            for image in self.images:
                assert self.uploader is not None
                done.append(await self.uploader(image))
            self._uploaded = done
        return list(self._uploaded)

    @property
    def digest(self) -> str:
        """The fingerprint of what this part carries (text and images), as its record saves it."""
        return digest(self.text, self.images)

    @property
    def text(self) -> str:
        return self.parts[self.i]

    @property
    def record(self) -> PartRecord:
        return self.records[self.i]

    @property
    def previous(self) -> PartRecord | None:
        """The post this part answers: the part before it, or for the first part the reader's post
        it answers (None when it answers nobody)."""
        return self.records[self.i - 1] if self.i else self.answering

    @property
    def name(self) -> str:
        """"The post", or "Part 2 of 3"."""
        return part_name(self.i, len(self.parts))

    async def save(self, record: PartRecord) -> PartRecord:
        """Keep `record` as this part's and checkpoint it at once (progress within a part)."""
        self.records[self.i] = record
        await self.checkpoint(list(self.records))
        return record
