"""`mockpost serve` put together: the runtime, its web app, the terminal, the files it
writes, and a command run against it."""
