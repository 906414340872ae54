"""A mock's life as a process sees it: loading the files, loading them again, watching them."""
