"""`python -m shop_k8s [--check] [--out DIR]`: see `shop_k8s.cli`."""

import sys

from shop_k8s.cli import main

sys.exit(main())
