"""The encrypted local store: SQLCipher engine, ORM models, key wrapping and migrations."""
