"""Inventory: owns stock on hand and the reservations (holds with a TTL) taken against it."""
