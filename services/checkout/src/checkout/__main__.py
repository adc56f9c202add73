"""`python -m checkout serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from checkout.bootstrap import ALEMBIC_INI, build_app, build_worker
from checkout.settings import CheckoutSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="checkout",
            settings=CheckoutSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
