"""A window's pages as the engine reads them: the next page fetched while the current one is mapped."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import requests

from ..gong.client import GongStream


def pages_fetched_ahead(
    stream: GongStream, window: Mapping[str, Any], learn_from: Callable[[requests.Response], object]
) -> Iterator[requests.Response]:
    """The window's pages, the next one fetched while the current one is mapped and emitted.

    A sync spends much of its time waiting on Gong; one background fetcher overlaps that wait with our work, while
    still sending one request at a time, so a Retry-After is honoured by every call. The CDK's HTTP client is not
    thread-safe: only the fetcher thread uses the stream's. `learn_from` takes each page that came with status 200
    before the next is asked for, so that its own calls (the once-per-sync users lookup and zone question) never
    overlap the fetcher's.
    """
    fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gong-page-fetcher")
    try:
        pending: Future | None = fetcher.submit(stream._fetch_next_page, window, {}, None)
        while pending is not None:
            _, response = pending.result()
            if response.status_code == 200:
                learn_from(response)
            token = stream.next_page_token(response)
            pending = fetcher.submit(stream._fetch_next_page, window, {}, token) if token else None
            yield response
    finally:
        fetcher.shutdown(wait=False, cancel_futures=True)
