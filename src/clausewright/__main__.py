from clausewright.cli.main import main

main()
