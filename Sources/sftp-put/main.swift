import Commands

SFTPPutCommand.main()
