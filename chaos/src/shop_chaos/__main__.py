"""`python -m shop_chaos`: see `shop_chaos.cli`."""

import sys

from shop_chaos.cli import main

sys.exit(main())
