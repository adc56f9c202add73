"""The development issuer and key tool.

    python -m shop_auth token --customer cus_42          # a customer bearer token
    python -m shop_auth token --as operator --aud payment  # an operator token for payment
    python -m shop_auth keys >> .env                     # fresh keys for a deployment (compose)

Tokens are signed with SHOP_<NAME>_KEY when set, else the development key (local stack).
"""

import argparse
import json
import sys

from shop_auth.identities import (
    CUSTOMER_AUDIENCE,
    CUSTOMER_ISSUER,
    IDENTITIES,
    client_minter,
    env_name,
)
from shop_auth.keys import new_key, private_text, public_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_auth")
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="print a bearer token")
    token.add_argument("--customer", help="a customer token for this customer id")
    token.add_argument("--as", dest="identity", default=CUSTOMER_ISSUER)
    token.add_argument("--aud", default=CUSTOMER_AUDIENCE)
    keys = commands.add_parser("keys", help="print fresh keys as env lines (.env, or --export)")
    keys.add_argument("--export", action="store_true", help="as shell `export` lines")
    args = parser.parse_args(argv)
    if args.command == "keys":
        prefix = "export " if args.export else ""
        public = {}
        for identity in IDENTITIES:
            key = new_key()
            print(f"{prefix}{env_name(identity)}={private_text(key)}")
            public[identity] = public_text(key)
        print(f"{prefix}SHOP_TRUSTED_KEYS='{json.dumps(public, separators=(',', ':'))}'")
        return 0
    if args.customer:
        print(client_minter(CUSTOMER_ISSUER).token(CUSTOMER_AUDIENCE, args.customer))
    else:
        print(client_minter(args.identity).token(args.aud))
    return 0


if __name__ == "__main__":
    sys.exit(main())
