"""Fulfillment: owns warehouses and their bin stock, shipments and backorders."""
