"""`python -m storefront [serve]`: the storefront on STOREFRONT_HOST:STOREFRONT_PORT."""

import sys

import uvicorn

from storefront.bootstrap import build_app
from storefront.settings import StorefrontSettings


def main(argv: list[str]) -> int:
    if argv not in ([], ["serve"]):
        print("usage: python -m storefront [serve]", file=sys.stderr)
        return 2
    settings = StorefrontSettings()
    uvicorn.run(build_app(settings), host=settings.host, port=settings.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
