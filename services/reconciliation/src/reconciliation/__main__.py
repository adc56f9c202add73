"""`python -m reconciliation serve | work | migrate`."""

from shop_servicekit import ServiceCommands, main

from reconciliation.bootstrap import ALEMBIC_INI, build_app, build_worker
from reconciliation.settings import ReconciliationSettings

if __name__ == "__main__":
    main(
        ServiceCommands(
            name="reconciliation",
            settings=ReconciliationSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
