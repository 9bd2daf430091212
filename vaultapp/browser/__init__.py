"""Browser autofill: vaultapp as the native host of the KeePassXC-Browser extension (the protocol,
URL matching, the stdin/stdout proxy, the app-side socket and the browsers' manifests)."""
