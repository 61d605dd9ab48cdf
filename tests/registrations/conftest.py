"""Registration fixtures live in tests/conftest.py: the programme tests use them too."""
