"""`python -m fulfillment serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from fulfillment.bootstrap import ALEMBIC_INI, build_app, build_worker
from fulfillment.settings import FulfillmentSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="fulfillment",
            settings=FulfillmentSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
