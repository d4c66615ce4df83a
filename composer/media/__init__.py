"""Images attached to a draft: finding the files, placing them on a thread's parts, the `images`
checks (alt text above all), and preparing each one for a platform (metadata stripped, scaled to
its limits).

Between `words` and `drafts` in the layers: it reads `drafts.model.ImageRef` and hands
`platforms.records.Image` to the clients. Pillow is imported by `prepare` only, when an image is
prepared for upload: never at start-up, never by a check.

The modules are imported by name (`composer.media.plan`, `.files`, `.checks`, `.prepare`): this
package imports none of them, so that reading where the `[images]` line is (`plan`, on every
analysis) does not load the drafts model and the platform records that `files` needs.
"""
