import Commands

CleverCSVCommand.main()
