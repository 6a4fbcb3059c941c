import CleverSyncCLI
import StageCLI

CleverSyncCommand.mainReportingTypos()
