from huanjie.cli import main

raise SystemExit(main())
