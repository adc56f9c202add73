"""Generators and gates over the contracts: saga catalogue, JSON Schemas, compat, AsyncAPI.

Each is run by `python -m shop_contracts <command>`; the committed files they write are
checked for staleness by the contracts' tests.
"""
