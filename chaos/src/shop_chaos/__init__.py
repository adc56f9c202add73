"""A randomized, seeded fault run against the embedded stack, and a checker of the shop's
invariants over every service's source of truth.

    make chaos                          # the default size, a fresh seed (printed)
    make chaos SEED=42 CHECKOUTS=2000   # replay seed 42's schedule, at another size

- `schedule`: the seeded plan of faults; `nemeses`: performing one fault.
- `workload`: checkouts at a steady rate; `observe`: reading every source of truth.
- `checker`: the invariants, pure; `run` and `report`: one run and what it found.
"""
