"""`make bench`: every performance figure of issue 11 next to a baseline from the same run.

    .venv/bin/python -m shop_bench            # starts an embedded stack on free ports
    .venv/bin/python -m shop_bench --quick    # a smoke run, under two minutes
    E2E_CHECKOUT_URL=http://127.0.0.1:8000 .venv/bin/python -m shop_bench   # a running stack

Prints a table, writes bench/results.json and bench/results.png. The pure parts (figures,
table, JSON, plot, profile summary) run in `make test`; the measuring never does.
"""
