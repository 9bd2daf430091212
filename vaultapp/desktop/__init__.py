"""Living with the desktop: the system's lock signals over D-Bus, one running app per user."""
