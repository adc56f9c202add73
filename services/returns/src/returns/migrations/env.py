from returns.adapters.tables import metadata
from shop_servicekit.migrations import run_env

run_env(metadata)
