"""Weekly returns: reading files, validating, previewing and loading them, and the templates."""
