"""The configuration engine: pure Python, no ORM, no request, no settings."""
