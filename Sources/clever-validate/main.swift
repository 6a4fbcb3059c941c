import Commands

CleverValidateCommand.main()
