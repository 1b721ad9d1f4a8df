"""Models of this app hang their records on plans.Plan."""
