"""`python -m inventory serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from inventory.bootstrap import ALEMBIC_INI, build_app, build_worker
from inventory.settings import InventorySettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="inventory",
            settings=InventorySettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
