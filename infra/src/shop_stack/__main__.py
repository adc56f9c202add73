"""`python -m shop_stack`: see `shop_stack.cli`."""

import sys

from shop_stack.cli import main

sys.exit(main())
