"""The demo `make demo` runs against a stack that is up, in three acts.

    python -m shop_stack.demo [--checkout http://127.0.0.1:8000 ...]

1. Coordination (`checkouts`): three checkouts; one succeeds, one asks for more of the
   limited print than exists, one is paid with a card that declines. Stock and payment
   state then prove nothing was left held by the two that failed.
2. Collaboration (`collaboration`): the successful order is followed to COMPLETED, its
   timeline printed as the events arrive; a desk lamp no warehouse holds is backordered,
   replenished with the admin token and followed to COMPLETED too.
3. Reconciliation (`drift`): things are broken on purpose (an orphan reservation, an
   orphan authorization, an OrderConfirmed lost with the broker's memory-only log), and a
   reconciliation run finds and repairs each.

It talks to the public and admin HTTP APIs as any client would; only act 3 also stops and
starts processes, through the stack runner, to lose an event for real.
"""
