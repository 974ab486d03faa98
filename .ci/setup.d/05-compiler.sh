# A C compiler and Python's headers: `make test` compiles the segmenter's cutter with mypyc
# and the memory's term extraction (src/tm/memory/_terms.c; tests/test_memory_terms.py),
# and tests/test_segment*.py run with both copies (a missing compiled copy fails in CI).
command -v gcc >/dev/null || apt_install gcc
"${PYTHON:-python3.11}" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
  || apt_install python3.11-dev
