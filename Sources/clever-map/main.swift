import CleverMapCLI
import StageCLI
import RecordStream

// Stops cleanly on TERM/INT/HUP, and with the clever-sync that started it.
StageStop.install(stage: "clever-map")

CleverMapCommand.mainReportingTypos()
