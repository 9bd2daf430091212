"""The desktop's Secret Service (``org.freedesktop.secrets``): one folder of the unlocked vault served
on the session bus to secret-tool (libsecret), keyring, secretstorage and the programs using them."""
