"""The application-service layer: the one API the UI, the CLI and sync use to read and change data."""
