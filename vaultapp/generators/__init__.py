"""Secret generators. Pure: no Qt, no vault, no I/O beyond reading wordlists."""
