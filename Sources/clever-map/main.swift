import Commands

CleverMapCommand.main()
