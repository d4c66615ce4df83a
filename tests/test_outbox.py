"""The outbox as data: what waits, in which order, and the retry policy."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from composer.drafts import Delivery, DraftStore
from composer.drafts.outbox import BASE_DELAY, MAX_DELAY, OutboxItem, pending, retry_delay

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def test_pending_lists_waiting_deliveries_sending_first_then_soonest(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    a = store.new(body="First draft\nmore")
    a.deliveries = {
        "m": Delivery(account="m", status="queued", next_try=T0 + timedelta(minutes=5), error="Offline.", attempts=1),
        "b": Delivery(account="b", status="sent", url="https://b/1"),
        "x": Delivery(account="x", status="failed", error="Bad token.", error_kind="auth"),
    }
    store.save(a)
    b = store.new(body="Second")
    b.deliveries = {
        "m": Delivery(account="m", status="queued", next_try=T0, attempts=3),
        "c": Delivery(account="c", status="sending", attempts=1),
    }
    store.save(b)
    (store.drafts_dir / "broken.md").write_bytes(b"+++\n")
    errors: list = []
    items = pending(store, errors=errors)
    assert [(i.draft_id, i.account, i.status) for i in items] == [
        (b.id, "c", "sending"), (b.id, "m", "queued"), (a.id, "m", "queued")]
    assert items[2] == OutboxItem(draft_id=a.id, account="m", status="queued", error="Offline.", attempts=1,
                                  next_try=T0 + timedelta(minutes=5), title="First draft")
    assert [e.path.name for e in errors] == ["broken.md"]
    with_failed = pending(store, include_failed=True)
    assert [(i.account, i.status) for i in with_failed][-1] == ("x", "failed")
    assert items[1].due(T0) and not items[2].due(T0)


@given(attempts=st.integers(min_value=1, max_value=60), seed=st.integers(0, 2**32))
def test_backoff_doubles_with_jitter_and_is_capped(attempts: int, seed: int) -> None:
    delay = retry_delay(attempts, rng=random.Random(seed))
    nominal = min(MAX_DELAY, BASE_DELAY * 2 ** (attempts - 1))
    assert nominal / 2 <= delay <= nominal


def test_retry_after_wins_and_jitter_spreads_retries() -> None:
    assert retry_delay(3, 120.0) == 120.0
    assert retry_delay(1, 0.0) == 1.0  # never a hot loop
    delays = {round(retry_delay(2, rng=random.Random(s)), 3) for s in range(20)}
    assert len(delays) > 10
