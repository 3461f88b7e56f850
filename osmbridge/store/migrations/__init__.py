"""Alembic migrations of the state store; `osmbridge.store.schema` runs them (see its docstring)."""
