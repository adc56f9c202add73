"""`python -m communications serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from communications.bootstrap import ALEMBIC_INI, build_app, build_worker
from communications.settings import CommunicationsSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="communications",
            settings=CommunicationsSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
