"""The SSH agent integration: SSH keys kept in entries, added to the user's running ssh-agent
(``$SSH_AUTH_SOCK``) with their lifetime and confirm constraints, and removed again (no Qt)."""
