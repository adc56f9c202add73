"""Tools for teams that fork the repository (docs/forking.md).

    python -m shop_forking wire --name gifts --port 8010   # `make new-service` runs it
    python -m shop_forking rename --name acme              # `make rename NAME=acme`

`wire` registers a service generated from infra/templates/service everywhere the repository
lists its services; `rename` renames the project's packages and wire names. Both edit files
as text, explicitly, one function per file, so a reader sees exactly what changes.
"""
