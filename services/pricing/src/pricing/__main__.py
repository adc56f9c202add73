"""`python -m pricing serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from pricing.bootstrap import ALEMBIC_INI, build_app, build_worker
from pricing.settings import PricingSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="pricing",
            settings=PricingSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
