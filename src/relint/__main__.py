from relint.entry import main

main()
