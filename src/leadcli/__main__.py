from leadcli.cli import main

main()
