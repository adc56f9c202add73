"""Reconciliation: owns each order's coordination state, reconciliation runs and their findings."""
