"""Baselines: small, honest programs measured in the same run as the shop.

with no_work_chain() as front_url: ...          # P4, C1, C2, C3 baselines
with sync_coordination(urls) as url: ...        # P1's synchronous checkout
await raw_producer_rate(bootstrap, count=5000)  # P6
"""
