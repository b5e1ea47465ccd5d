"""`python -m assess` runs the command-line interface."""

from assess.cli import main

main()
