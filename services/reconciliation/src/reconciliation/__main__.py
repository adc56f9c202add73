"""`python -m reconciliation serve | work | migrate | reconcile [options]`."""

import sys

from shop_servicekit import ServiceCommands, main

from reconciliation.bootstrap import ALEMBIC_INI, build_app, build_worker, reconcile_command
from reconciliation.settings import ReconciliationSettings

if __name__ == "__main__":
    # The job's own command; the three every service has go to servicekit.
    if sys.argv[1:2] == ["reconcile"]:
        raise SystemExit(reconcile_command(ReconciliationSettings(), sys.argv[2:]))
    main(
        ServiceCommands(
            name="reconciliation",
            settings=ReconciliationSettings,
            build_app=build_app,
            build_worker=build_worker,
            alembic_ini=ALEMBIC_INI,
        )
    )
