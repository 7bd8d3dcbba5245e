"""Domain types, enums and rules as plain functions: no Qt, no SQLAlchemy, no HTTP."""
