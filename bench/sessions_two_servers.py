"""The 200-session bench over 2 servers only (bench_cluster.sessions_over_servers at one server count), for a
before/after comparison on a busy machine where the full run over 1, 2 and 3 servers takes too long.

    python -m bench.sessions_two_servers DATABASE
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import bench_cluster


def main() -> None:
    bench_cluster.SERVER_COUNTS = (2,)
    print(json.dumps(bench_cluster.sessions_over_servers(Path(sys.argv[1]), {}), default=str))


if __name__ == "__main__":
    main()
