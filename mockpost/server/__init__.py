"""`mockpost serve` put together: the runtime, its web app, the terminal, the files it
writes, and a command run against it."""

DEFAULT_PORT = 6625  # "MOCK" on a phone's keypad; no front-end dev server's default
