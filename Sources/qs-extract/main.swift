import QSExtractCLI
import RecordStream

// Stops cleanly on TERM/INT/HUP, and with the clever-sync that started it.
StageStop.install(stage: "qs-extract")

await QSExtractCommand.start()
