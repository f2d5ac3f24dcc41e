"""The synthetic demo generator: a tool that only the command line imports."""
