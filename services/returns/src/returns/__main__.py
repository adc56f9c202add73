"""`python -m returns serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from returns.bootstrap import ALEMBIC_INI, build_app, build_worker
from returns.settings import ReturnsSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="returns",
            settings=ReturnsSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
