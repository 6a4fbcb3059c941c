import Commands

CleverSyncCommand.main()
