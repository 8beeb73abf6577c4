"""The engine stage inside Django: compile published versions, store and load them."""
