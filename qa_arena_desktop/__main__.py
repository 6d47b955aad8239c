from qa_arena_desktop.cli.main import main

raise SystemExit(main())
