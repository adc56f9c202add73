"""httpcore asks sniffio which async library runs it, on every request. Without sniffio
it falls back to asyncio after a failed import each time, and a failed import searches
the filesystem: a hot-path cost nothing reports. shop-http depends on sniffio for that."""

import importlib.util
import sys

import httpcore._synchronization


def test_sniffio_is_installed_with_shop_http() -> None:
    assert importlib.util.find_spec("sniffio") is not None


async def test_httpcore_learns_the_async_library_from_sniffio() -> None:
    assert httpcore._synchronization.current_async_library() == "asyncio"
    assert "sniffio" in sys.modules
