"""Password health: strength estimates (and later reuse, breach lists, the audit log). No Qt."""
