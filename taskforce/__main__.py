import sys

from taskforce.cli import main

sys.exit(main())
