"""aiohttp only: the application, its catch-all handler, and the loop that serves it."""
