import sys

from qa_arena_desktop.judge_server.server import main

sys.exit(main())
