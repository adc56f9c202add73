"""Payment: owns authorizations, their voids and captures, and the fraud rules."""
