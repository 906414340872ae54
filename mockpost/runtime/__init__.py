"""A running mock: the index, the settings in force, the call store and the one cache."""
