"""Secrets for programs: ``vaultapp://`` references, their resolution against the unlocked vault,
the environment ``run`` gives a command, masking its output, and starting it (no Qt)."""
