"""Client orders, the planning board and production registration."""
