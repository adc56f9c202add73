"""Communications: owns the notifications sent to customers (one per event), by email."""
