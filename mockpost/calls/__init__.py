"""Calls: the call as it comes in, its body, the record kept of it, and the store of records."""
