"""A Bot API connection that counts its calls, 429s and failures for the metrics.

It wraps python-telegram-bot's own connection (`telegram.request.BaseRequest`, the network seam)
and passes every call through unchanged; only the counts are added. The URL holds the token,
so nothing but the method name taken from its end is ever kept.
"""

from telegram.request import BaseRequest, RequestData

from bot.metrics import Metrics

TOO_MANY_REQUESTS = 429
FILE_DOWNLOAD = "file"
"""The method label for file downloads, whose URL ends in a file path, not a method."""


class CountedRequest(BaseRequest):
    """`inner`, with each call counted in `metrics` by Bot API method."""

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    @property
    def read_timeout(self) -> float | None:
        """The wrapped connection's default read timeout."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Open the wrapped connection."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close the wrapped connection."""
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the call through the wrapped connection and count it."""
        name = api_method(url)
        self.metrics.api_calls.labels(name).inc()
        try:
            status, payload = await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout,  # type: ignore[arg-type]
                write_timeout,  # type: ignore[arg-type]
                connect_timeout,  # type: ignore[arg-type]
                pool_timeout,  # type: ignore[arg-type]
            )
        except Exception:
            self.metrics.api_errors.labels(name).inc()
            raise
        if status == TOO_MANY_REQUESTS:
            self.metrics.api_throttled.labels(name).inc()
        elif status >= 400:
            self.metrics.api_errors.labels(name).inc()
        return status, payload


def api_method(url: str) -> str:
    """The Bot API method a URL calls (`.../bot<token>/sendMessage` gives sendMessage)."""
    if "/file/bot" in url:
        return FILE_DOWNLOAD
    return url.rstrip("/").rsplit("/", 1)[-1]
