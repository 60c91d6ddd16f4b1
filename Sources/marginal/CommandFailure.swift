import ArgumentParser
import Foundation
import MarginalCore
import MarginalRuns

/// Runs a command's body; a `MarginalError` (or run control's `RunControlError`) becomes one line on standard error,
/// `marginal <command>: <problem>`, and exit status 2 (the status every bad file, flag or
/// value gets, as CONVENTIONS.md pins it).
func reportingFailures(_ command: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as MarginalError {
        FileHandle.standardError.write(Data("marginal \(command): \(error.description)\n".utf8))
        throw ExitCode(2)
    } catch let error as RunControlError {
        FileHandle.standardError.write(Data("marginal \(command): \(error.description)\n".utf8))
        throw ExitCode(2)
    }
}
