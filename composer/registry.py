"""Every platform's facts, in one place: plain data that the length rules, config, the clients,
the command line and the composer all read. A new platform is one client module plus one
`Platform` entry in `PLATFORMS` below (tests/test_registry.py checks that every face knows it).

No imports from the rest of `composer` (and no httpx): this is the bottom layer.
"""

from __future__ import annotations

from typing import NamedTuple

# --------------------------------------------------------------------------- shape


class Counting(NamedTuple):
    """How the platform counts a post, and what one post may hold."""

    limit: int | None
    """The default limit in `unit`s (a server may announce another); None: no limit."""
    unit: str = "graphemes"
    """What one character is: `graphemes` (user-perceived characters), `weighted` (twitter-text v3:
    CJK and emoji weigh 2), `emoji-bytes` (graphemes, but an emoji counts its UTF-8 bytes) or
    `utf16` (UTF-16 code units)."""
    max_bytes: int | None = None
    """UTF-8 bytes one post may hold, besides the limit (Bluesky)."""
    max_links: int | None = None
    """Links one post may hold (Threads)."""
    max_hashtags: int | None = None
    """Hashtags one post may hold (Instagram)."""
    links: str = "full"
    """How a link counts: `full` (as written), `fixed` (`url_cost` whatever its length) or `shown`
    (as `shown_as` displays it: the client posts that shorter text, the full link behind it)."""
    url_cost: int | None = None
    """With links = fixed: what one link costs."""
    url_cost_from_server: bool = False
    """The server announces its own URL cost (Mastodon's characters_reserved_per_url)."""
    shown_as: str = ""
    """With links = shown: whose display of a link is copied (`bsky.app`)."""
    bare_domains: bool = False
    """A bare domain ("example.com/page") is a link too."""
    mention_domain_free: bool = False
    """A mention `@user@domain` counts as `@user`."""
    content_warning_counts: bool = False
    """The content warning counts against the limit, on every part of a thread."""


class Capabilities(NamedTuple):
    """What a post on the platform can carry; the clients and the faces read these."""

    threads: bool
    """A long post can go out as a thread of replies."""
    visibilities: tuple[str, ...] = ()
    """The visibilities a post may have, the default first; () when the platform has no such
    setting (a visibility in config is then ignored)."""
    content_warning: str = "none"
    """`text` (a free-text warning), `labels` (fixed self-labels) or `none` (a post with one is refused)."""
    language: bool = False
    """A post can say its language."""
    idempotent: bool = True
    """A retry after an unclear failure can be made safe; False: the writer is asked (Micropub)."""
    replies: bool = False
    """Replies to the writer's posts (and mentions) can be read, and an answer sent as a reply to
    one of them (the client's `replies`, `mentions` and `reply_target` hooks)."""
    reply_mention: bool = False
    """An answer starts with the reader's handle (`@bob@example.social`): the platform notifies and
    threads by the mention (Mastodon). False where the reply reference alone does it (Bluesky)."""
    delete: bool = False
    """A published post can be withdrawn (the client's `delete_post` hook)."""
    edit: bool = False
    """A published post can be edited in place, keeping its id and its replies (`edit_post`);
    False: a correction is a delete and a new post, and the replies are detached."""


class Media(NamedTuple):
    """What images one post can carry on the platform (composer/media reads these to check, plan and
    prepare images; a server may announce its own: Mastodon's `configuration.media_attachments`)."""

    max_images: int
    """Images one post may hold."""
    max_bytes: int
    """Bytes one uploaded image may have (the image is re-compressed, then scaled, to fit)."""
    max_pixels: int | None = None
    """Width x height one image may have; None: no limit."""
    max_side: int | None = None
    """The longest side in pixels that is kept (larger images are scaled down); None: no limit."""
    formats: tuple[str, ...] = ("image/jpeg", "image/png")
    """The MIME types the platform takes; anything else is re-encoded as JPEG (or PNG if it has
    transparency and PNG is taken)."""
    alt_max: int | None = 1500
    """Characters (graphemes) of alt text one image may have; None: no limit known."""
    public_url: bool = False
    """The platform fetches the image from a public URL itself (Threads, Instagram): the account
    needs a `media_host` account whose upload returns one."""
    from_server: bool = False
    """The server announces its own limits (the client's `media_limits` asks)."""


class Server(NamedTuple):
    """What `--server` (and `server` in config.toml) means on this platform."""

    label: str
    """How it is called in messages: `server`, `site`, `API`, `relays`."""
    required: bool = False
    """True when there is no default: the writer must give one."""
    default: str | None = None
    example: str = "https://example.social"
    scheme: str = "https"
    """The secure scheme (`https`, or `wss` for WebSocket relays); its plain twin (http, ws) is
    allowed only on loopback."""
    several: bool = False
    """A comma-separated list (Nostr relays)."""

    @classmethod
    def at(cls, label: str, url: str) -> Server:
        """The platform's own address (an API root): the default, and the example the help shows."""
        return cls(label, default=url, example=url)


class Handle(NamedTuple):
    """What `--handle` means, where the writer gives one (elsewhere the server says it)."""

    label: str
    """`handle`, `chat or channel`, `Instagram user id`."""
    example: str
    required: bool = True


class SecretKind(NamedTuple):
    """The one secret an account needs, kept in the keyring."""

    kind: str
    """What is asked for: `access token`, `app password`, `webhook URL`, `nsec key`."""
    where: str
    """One line: where the writer gets it (the accounts screen and the help)."""
    help: str
    """The steps, shown by `humane accounts add` before it asks."""
    renew: str = ""
    """What to do when it runs out (`{name}`: the account's name); empty when it does not."""
    pattern: str = ""
    """A regular expression the secret matches in full, where it has a shape of its own (so that
    one pasted into config.toml is recognised and refused)."""
    shape: str = ""
    """That shape in words (`xxxx-xxxx-xxxx-xxxx`)."""
    browser: bool = False
    """Left empty, the login goes through the browser instead (the composer's form says so)."""


class Login(NamedTuple):
    server: Server
    secret: SecretKind
    handle: Handle | None = None
    """None: the handle is learnt from the server at login."""
    handle_prefix: str = "@"
    """How a handle is shown (`@alice`); empty where it is a name or a site."""
    example_name: str = "NAME"
    """An account name for examples (`humane accounts add social --platform mastodon ...`)."""


class Platform(NamedTuple):
    name: str
    """The registry name, in config.toml and on the command line."""
    label: str
    """How people name it."""
    counting: Counting
    capabilities: Capabilities
    login: Login | None = None
    """None: no client yet (the length rules know the platform; nothing can be published to it)."""
    client: str | None = None
    """The client class as "module:Class", imported only when used (httpx costs start-up time)."""
    media: Media | None = None
    """What images a post can carry; None: none (a draft with images cannot go there)."""

    @property
    def publishable(self) -> bool:
        return self.client is not None and self.login is not None

    def add_command(self, name: str = "NAME") -> str:
        """`humane accounts add NAME --platform P` with the options this platform cannot do without."""
        words = [f"humane accounts add {name} --platform {self.name}"]
        if self.login is not None:
            if self.login.server.required:
                words.append(f"--server {self.login.server.example}")
            if self.login.handle is not None and self.login.handle.required:
                words.append(f"--handle {self.login.handle.example}")
        return " ".join(words)

    def show_handle(self, handle: str) -> str:
        prefix = self.login.handle_prefix if self.login is not None else ""
        return f"{prefix}{handle.lstrip('@')}" if prefix else handle


# --------------------------------------------------------------------------- the platforms
#
# Sources for the counting rules: ../shared/platforms.md sections 1.5 (Mastodon), 2.3-2.4
# (Bluesky), 3.5 (LinkedIn), 4.3 (Threads), 5.2 (X).

_LINKEDIN_RENEW = (
    "LinkedIn tokens last 60 days and cannot be renewed by Humane Composer: make a new one in the "
    "LinkedIn Developer portal (your app → Auth → OAuth 2.0 tools → Create token, with the scopes "
    "openid, profile and w_member_social) and run `humane accounts add {name} --platform linkedin`."
)
_THREADS_RENEW = (
    "Make a new long-lived Threads token (Meta for Developers → your app → Use cases → Access the "
    "Threads API → Settings → User token generator, or the Graph API Explorer with "
    "threads_basic and threads_content_publish) and run `humane accounts add {name} --platform threads`."
)

_INSTAGRAM_RENEW = (
    "Instagram tokens last 60 days: make a new one in Meta for Developers (your app → Instagram → API setup "
    "with Instagram login → Generate token) and run `humane accounts add {name} --platform instagram "
    "--handle YOUR_INSTAGRAM_USER_ID`."
)

PLATFORMS: dict[str, Platform] = {
    p.name: p
    for p in (
        Platform(
            name="mastodon",
            label="Mastodon",
            # Grapheme clusters of the content warning and the text; every http(s) URL costs the
            # instance's characters_reserved_per_url (23 by default; Pleroma/Akkoma count links in
            # full); a mention @user@domain counts as @user.
            counting=Counting(
                limit=500, links="fixed", url_cost=23, url_cost_from_server=True,
                mention_domain_free=True, content_warning_counts=True,
            ),
            capabilities=Capabilities(
                threads=True, visibilities=("public", "unlisted", "private", "direct"),
                content_warning="text", language=True,
                replies=True, reply_mention=True, delete=True, edit=True,
            ),
            login=Login(
                server=Server("server", required=True, example="https://your.instance"),
                secret=SecretKind(
                    "access token",
                    where="a token from Preferences → Development, or press Enter to log in through the browser.",
                    browser=True,
                    help=(
                        "On your server open Preferences → Development → New application, tick write:statuses, "
                        "write:media, read:accounts (or profile), read:statuses and read:notifications (to read "
                        "the replies), save, and copy “Your access token”."
                    ),
                ),
                example_name="social",
            ),
            client="composer.platforms.mastodon:MastodonClient",
            # Mastodon 4.x defaults; the server's /api/v2/instance says its own (media_limits).
            media=Media(
                max_images=4, max_bytes=16 * 1024 * 1024, max_pixels=7680 * 4320,
                formats=("image/jpeg", "image/png", "image/webp", "image/gif"), alt_max=1500, from_server=True,
            ),
        ),
        Platform(
            name="bluesky",
            label="Bluesky",
            # 300 graphemes and 3,000 UTF-8 bytes of the text as the client sends it: the server
            # counts links in full and shortens nothing, so the client writes each link the way
            # bsky.app shows it (entities.display_url) and that is what counts. Bare domains are
            # links, as bsky.app makes them; handles count in full.
            counting=Counting(limit=300, max_bytes=3000, links="shown", shown_as="bsky.app", bare_domains=True),
            capabilities=Capabilities(
                threads=True, content_warning="labels", language=True, replies=True, delete=True,
            ),
            login=Login(
                server=Server.at("server", "https://bsky.social"),
                handle=Handle("handle", example="you.bsky.social"),
                secret=SecretKind(
                    "app password",
                    where="an app password (Settings → Privacy and security → App passwords).",
                    help=(
                        "Make an app password in Bluesky under Settings → Privacy and security → App passwords "
                        "(it looks like xxxx-xxxx-xxxx-xxxx); do not use your main password."
                    ),
                    pattern=r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}",
                    shape="xxxx-xxxx-xxxx-xxxx",
                ),
                example_name="sky",
            ),
            client="composer.platforms.bluesky:BlueskyClient",
            # app.bsky.embed.images: 4 images; the reference PDS takes blobs of at most 1,000,000
            # bytes (the lexicon now says 2 MB; the smaller is safe everywhere); bsky.app shows at
            # most 2000 px on the long side and allows 2000 characters of alt text.
            media=Media(
                max_images=4, max_bytes=1_000_000, max_side=2000,
                formats=("image/jpeg", "image/png", "image/webp"), alt_max=2000,
            ),
        ),
        Platform(
            name="x",
            label="X",
            # twitter-text v3 on the NFC text: code points in U+0000-10FF, U+2000-200D, U+2010-201F
            # and U+2032-2037 weigh 1, all others 2; every link (bare domains too, as t.co links
            # them) weighs 23; an emoji sequence (ZWJ family, flag, skin tone, keycap) weighs 2 once.
            counting=Counting(limit=280, unit="weighted", links="fixed", url_cost=23, bare_domains=True),
            capabilities=Capabilities(threads=True),
            login=Login(
                server=Server.at("API", "https://api.x.com"),
                secret=SecretKind(
                    "OAuth 2.0 login",
                    where="your own X app: press Enter to log in through the browser, or paste CLIENT_ID:REFRESH_TOKEN.",
                    help=(
                        "X needs an app of your own: at developer.x.com create a project and an app, set its User "
                        "authentication to OAuth 2.0, type Native App, permission Read and write, callback "
                        "http://127.0.0.1:8976/callback, and copy its OAuth 2.0 Client ID. Press Enter here to "
                        "log in through the browser with it; or paste CLIENT_ID:REFRESH_TOKEN (a refresh token "
                        "with the offline.access scope), or an access token (it lasts two hours)."
                    ),
                    renew=(
                        "Log in to X again: run `humane accounts add {name} --platform x` and press Enter to "
                        "authorize your X app in the browser."
                    ),
                ),
                example_name="x",
            ),
            client="composer.platforms.x:XClient",
            # POST /2/media/upload (tweet_image): 4 photos a post, 5 MB each; alt text via
            # /2/media/metadata, up to 1,000 characters.
            media=Media(
                max_images=4, max_bytes=5 * 1024 * 1024,
                formats=("image/jpeg", "image/png", "image/webp", "image/gif"), alt_max=1000,
            ),
        ),
        Platform(
            name="linkedin",
            label="LinkedIn",
            # Whether LinkedIn counts code points or UTF-16 units is unverified: UTF-16 units are
            # never fewer, so the count is conservative. (The client counts the escaped text.)
            counting=Counting(limit=3000, unit="utf16"),
            capabilities=Capabilities(threads=False, visibilities=("public", "connections"), delete=True, edit=True),
            login=Login(
                server=Server.at("API", "https://api.linkedin.com"),
                secret=SecretKind(
                    "access token",
                    where="a token made in LinkedIn's developer portal; it lasts 60 days.",
                    help=(
                        "In the LinkedIn Developer portal, make an app with the products “Share on LinkedIn” and "
                        "“Sign In with LinkedIn using OpenID Connect”, then open Auth → OAuth 2.0 tools → Create "
                        "token with the scopes openid, profile and w_member_social, and copy the access token. "
                        "It lasts 60 days."
                    ),
                    renew=_LINKEDIN_RENEW,
                ),
                handle_prefix="",
                example_name="work",
            ),
            client="composer.platforms.linkedin:LinkedInClient",
            # Images API: JPG, GIF, PNG below 36,152,320 pixels; a post holds one image or a
            # multiImage of up to 20; altText up to 4086 characters.
            media=Media(
                max_images=20, max_bytes=8 * 1024 * 1024, max_pixels=36_152_319,
                formats=("image/jpeg", "image/png", "image/gif"), alt_max=4086,
            ),
        ),
        Platform(
            name="threads",
            label="Threads",
            # Meta says "emojis are counted by their UTF-8 byte length" and no more: on the safe
            # side, every other grapheme cluster counts 1. At most 5 links (bare domains too).
            counting=Counting(limit=500, unit="emoji-bytes", max_links=5, bare_domains=True),
            capabilities=Capabilities(threads=True, visibilities=("public",), replies=True, delete=True),
            login=Login(
                server=Server.at("API", "https://graph.threads.net"),
                secret=SecretKind(
                    "long-lived access token",
                    where="a long-lived token from Meta's developer tools; it lasts 60 days.",
                    help=(
                        "In Meta for Developers, make an app with the “Access the Threads API” use case (scopes "
                        "threads_basic and threads_content_publish, plus threads_manage_replies for long posts), "
                        "add yourself as a Threads tester, and generate a long-lived user token (it lasts 60 days; "
                        "Humane Composer renews it while you use it)."
                    ),
                    renew=_THREADS_RENEW,
                ),
                example_name="th",
            ),
            client="composer.platforms.threads:ThreadsClient",
            # IMAGE or CAROUSEL (2 to 20 items) containers; Meta fetches each image from a public
            # URL (JPEG or PNG, at most 8 MB, 10,000 px wide); alt_text up to 1000 characters.
            media=Media(
                max_images=20, max_bytes=8 * 1024 * 1024, max_side=10_000,
                formats=("image/jpeg", "image/png"), alt_max=1000, public_url=True,
            ),
        ),
        Platform(
            name="micropub",
            label="Micropub",
            counting=Counting(limit=None),
            capabilities=Capabilities(threads=False, visibilities=("public",), idempotent=False, delete=True, edit=True),
            login=Login(
                server=Server("site", required=True, example="https://your.site"),
                secret=SecretKind(
                    "access token",
                    where="your site's token; the endpoint is found from the site's rel=\"micropub\" link.",
                    help=(
                        "Make a token with the create scope on your site: in its admin pages (many Micropub "
                        "plugins have a “tokens” page) or through an IndieAuth token page such as your site's "
                        "own, and paste it."
                    ),
                ),
                handle_prefix="",
                example_name="blog",
            ),
            client="composer.platforms.micropub:MicropubClient",
            # The media endpoint takes the file as it is; the site decides. Kept modest.
            media=Media(
                max_images=10, max_bytes=10 * 1024 * 1024, max_side=4096,
                formats=("image/jpeg", "image/png", "image/webp", "image/gif"), alt_max=None,
            ),
        ),
        Platform(
            name="discord",
            label="Discord",
            # 2,000 characters a message; Discord does not say how it counts them: UTF-16 units are
            # never fewer than code points or graphemes. A longer post goes out as several messages.
            counting=Counting(limit=2000, unit="utf16"),
            capabilities=Capabilities(threads=True, idempotent=False),
            login=Login(
                server=Server.at("API", "https://discord.com"),
                secret=SecretKind(
                    "webhook URL",
                    where="a channel webhook URL (channel settings → Integrations → Webhooks).",
                    help=(
                        "In Discord open the channel's settings → Integrations → Webhooks → New Webhook, name it, "
                        "and press “Copy Webhook URL”. Whoever has that URL can post to the channel: it is kept "
                        "in the keyring only."
                    ),
                    pattern=r"https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v\d+/)?webhooks/\d+/\S+",
                    shape="https://discord.com/api/webhooks/ID/TOKEN",
                ),
                handle_prefix="",
                example_name="chat",
            ),
            client="composer.platforms.discord:DiscordClient",
            # Attachments on the webhook message: 10 a message, 10 MiB each without server boosts;
            # the alt text is the attachment's description (1,024 characters).
            media=Media(
                max_images=10, max_bytes=10 * 1024 * 1024,
                formats=("image/jpeg", "image/png", "image/gif", "image/webp"), alt_max=1024,
            ),
        ),
        Platform(
            name="telegram",
            label="Telegram",
            # 4,096 characters a message after the HTML entities are parsed (the escaping costs
            # nothing), counted as Telegram's entity offsets are: UTF-16 code units. Longer posts
            # go out as several messages, each a reply to the one before.
            counting=Counting(limit=4096, unit="utf16"),
            capabilities=Capabilities(threads=True, idempotent=False),
            login=Login(
                server=Server.at("Bot API", "https://api.telegram.org"),
                handle=Handle("channel or chat", example="@yourchannel"),
                secret=SecretKind(
                    "bot token",
                    where="a bot token from @BotFather; add the bot to the channel as an admin who may post.",
                    help=(
                        "In Telegram, talk to @BotFather: send /newbot, choose a name and a username, and copy the "
                        "token it gives (123456789:AA...). Add the bot to your channel as an administrator allowed "
                        "to post messages (to a group: as a member), and give the channel's @username (or its "
                        "numeric id) as --handle."
                    ),
                    pattern=r"\d{5,}:[A-Za-z0-9_-]{30,}",
                    shape="123456789:AA...",
                ),
                handle_prefix="",
                example_name="tg",
            ),
            client="composer.platforms.telegram:TelegramClient",
            # sendPhoto / sendMediaGroup: 10 photos an album, 10 MB each, width + height at most
            # 10,000; no alt text field (alt_max None: the alt text is not sent).
            media=Media(
                max_images=10, max_bytes=10 * 1000 * 1000, max_side=5000,
                formats=("image/jpeg", "image/png"), alt_max=None,
            ),
        ),
        Platform(
            name="slack",
            label="Slack",
            # Slack asks clients to keep a message to 4,000 characters (it cuts at 40,000); counted
            # in UTF-16 units, never fewer than Slack's. Longer posts: a thread under the first
            # message (bot token), or several messages (webhook).
            counting=Counting(limit=4000, unit="utf16"),
            capabilities=Capabilities(threads=True, idempotent=False),
            login=Login(
                server=Server.at("API", "https://slack.com"),
                handle=Handle("channel (with a bot token)", example="C0123456789", required=False),
                secret=SecretKind(
                    "webhook URL or bot token",
                    where="an incoming webhook URL, or a bot token (xoxb-…) with the channel as --handle.",
                    help=(
                        "At api.slack.com/apps create an app for your workspace. Either turn on Incoming Webhooks, "
                        "“Add New Webhook to Workspace”, choose the channel and copy the webhook URL; or add the bot "
                        "scopes chat:write and channels:history (groups:history for a private channel), install "
                        "the app, copy the Bot User OAuth Token (xoxb-…), invite the bot to the channel "
                        "(/invite @your-bot) and give the channel's id as --handle."
                    ),
                    pattern=r"https://hooks\.slack(?:-gov)?\.com/\S+|xox[abp]-[A-Za-z0-9-]{10,}",
                    shape="https://hooks.slack.com/services/… or xoxb-…",
                ),
                handle_prefix="",
                example_name="team",
            ),
            client="composer.platforms.slack:SlackClient",
        ),
        Platform(
            name="devto",
            label="Dev.to",
            # Articles, not notes: one draft is one article, never split; Forem's own validation
            # (title, tags, body) answers for the rest.
            counting=Counting(limit=None),
            capabilities=Capabilities(threads=False),
            login=Login(
                server=Server.at("community", "https://dev.to"),
                secret=SecretKind(
                    "API key",
                    where="an API key from Settings → Extensions → DEV Community API Keys.",
                    help=(
                        "On Dev.to open Settings → Extensions, under “DEV Community API Keys” give the key a "
                        "description (“Humane Composer”), press “Generate API Key” and copy it. Another Forem "
                        "community: the same page there, with --server https://your.community."
                    ),
                ),
                example_name="dev",
            ),
            client="composer.platforms.devto:DevtoClient",
        ),
        Platform(
            name="nostr",
            label="Nostr",
            # No limit in the protocol; a relay may announce max_content_length (NIP-11, in code
            # points): the client splits to the smallest announced, counting UTF-16 units (never fewer).
            counting=Counting(limit=None, unit="utf16"),
            capabilities=Capabilities(threads=True),
            login=Login(
                server=Server("relays", required=True, example="wss://relay.example.com,wss://nos.example",
                              scheme="wss", several=True),
                secret=SecretKind(
                    "nsec key",
                    where="your private key (nsec1...) from your Nostr app; relays as --server, comma-separated.",
                    help=(
                        "Copy your private key from your Nostr app (it starts with nsec1; look for “Export "
                        "private key”, “Show nsec” or “Backup key” in its settings). It stays in your keyring "
                        "and only signs your notes. Give your relays with --server wss://relay.one,wss://relay.two."
                    ),
                    pattern=r"nsec1[02-9ac-hj-np-z]{58}",
                    shape="nsec1...",
                ),
                handle_prefix="",
                example_name="nostr",
            ),
            client="composer.platforms.nostr:NostrClient",
        ),
        Platform(
            name="instagram",
            label="Instagram",
            # A caption of 2,200 characters and at most 30 hashtags (Meta's IG User Media reference;
            # whether characters are code points or UTF-16 units is unverified: UTF-16 units are never
            # fewer, so the count is conservative). No threads; no text-only posts.
            counting=Counting(limit=2200, unit="utf16", max_hashtags=30),
            capabilities=Capabilities(threads=False, visibilities=("public",)),
            login=Login(
                server=Server.at("API", "https://graph.instagram.com"),
                handle=Handle("Instagram user id", example="17841400000000000"),
                secret=SecretKind(
                    "long-lived access token",
                    where="a long-lived token from Meta's developer tools (Instagram API with Instagram Login); "
                    "your Instagram user id as --handle.",
                    help=(
                        "In Meta for Developers, make an app with the Instagram product (API setup with Instagram "
                        "login), add your professional Instagram account under “Generate access tokens”, press "
                        "“Generate token” (instagram_business_basic and instagram_business_content_publish) and "
                        "copy it; the same page shows your Instagram user id, which is --handle. The token lasts "
                        "60 days. Posts need images with a public address: set media_host for the account."
                    ),
                    renew=_INSTAGRAM_RENEW,
                ),
                handle_prefix="",
                example_name="insta",
            ),
            client="composer.platforms.instagram:InstagramClient",
            # Content Publishing: images fetched by Instagram from a public address (JPEG), a carousel
            # of up to 10; 8 MB and 1440 px wide at most, as third-party guides give Meta's figures
            # (unverified against Meta's own page); no alt text limit is documented.
            media=Media(
                max_images=10, max_bytes=8 * 1024 * 1024, max_side=1440,
                formats=("image/jpeg",), alt_max=None, public_url=True,
            ),
        ),
    )
}
"""Every platform, in the order the faces list them."""

ALIASES = {"twitter": "x"}


# --------------------------------------------------------------------------- reading it


def names() -> tuple[str, ...]:
    """Every platform the length rules know, in order."""
    return tuple(PLATFORMS)


def publishable() -> tuple[Platform, ...]:
    """The platforms an account can be added for (those with a client), in order."""
    return tuple(p for p in PLATFORMS.values() if p.publishable)


def get(name: str) -> Platform:
    """The entry for a name (an alias such as `twitter` too); KeyError naming the known ones."""
    key = str(name).strip().lower()
    key = ALIASES.get(key, key)
    try:
        return PLATFORMS[key]
    except KeyError:
        raise KeyError(f"unknown platform {name!r}; known: {', '.join(PLATFORMS)}") from None


def find(name: str) -> Platform | None:
    try:
        return get(name)
    except KeyError:
        return None


def label(name: str) -> str:
    """How people name a platform; the name itself when the registry does not know it."""
    entry = find(name)
    return entry.label if entry is not None else name
