"""Fixtures shared by the whole suite; each area keeps its own in its folder's conftest."""
