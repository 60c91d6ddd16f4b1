import Foundation
import Testing
import MarginalCore
import TestSupport

/// Issue 16, defect 6: `marginal --version` prints the version written once in the source
/// (`MarginalCore.marginalVersion`) and nothing else, exit 0.
struct VersionCommandTests {
    @Test func versionPrintsTheOneVersionAndExitsZero() throws {
        let result = try MarginalProcess.run(["--version"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == marginalVersion + "\n")
        #expect(result.standardError.isEmpty)
        #expect(marginalVersion.split(separator: ".").count == 3 && marginalVersion.split(separator: ".").allSatisfy { Int($0) != nil })
    }
}
