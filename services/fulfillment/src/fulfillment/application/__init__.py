"""Use cases. Allocation (on OrderConfirmed) and backorder release (on StockReplenished)
arrive with the consumers; the rule they apply is `domain.allocation.allocate`.
"""
