"""SprintDesk benchmarks: ``python -m bench`` runs each ``bench/bench_*.py`` ``main()``."""
