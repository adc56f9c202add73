"""`python -m payment serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from payment.bootstrap import ALEMBIC_INI, build_app, build_worker
from payment.settings import PaymentSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="payment",
            settings=PaymentSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
