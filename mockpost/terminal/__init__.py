"""rich only: what a person sees in the terminal (banner, call lines, report tables)."""
