"""The central endpoint (FastAPI); imports domain and sync.protocol only."""
