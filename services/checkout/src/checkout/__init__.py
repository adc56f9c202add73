"""Checkout: owns orders, their timeline and idempotency keys; coordinates the checkout."""
