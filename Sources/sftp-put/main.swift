import SFTPPutCLI
import StageCLI
import RecordStream

// Stops cleanly on TERM/INT/HUP, and with the clever-sync that started it.
StageStop.install(stage: "sftp-put")

SFTPPutCommand.mainReportingTypos()
