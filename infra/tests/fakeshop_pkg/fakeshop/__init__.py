"""A stand-in service for runner tests: `python -m fakeshop migrate|serve|work|crash`."""
