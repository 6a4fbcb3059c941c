import CleverSyncCLI

CleverSyncCommand.main()
