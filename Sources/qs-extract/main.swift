import Commands

await QSExtractCommand.start()
