"""The Qt desktop app: windows, dialogs, widgets, item models and background operations."""
