"""Pricing: owns catalog prices, tax and shipping rules, and the quotes built from them."""
