from relint.cli import main

main()
