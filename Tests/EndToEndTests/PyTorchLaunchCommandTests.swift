import Foundation
import Testing
import TestSupport

/// `marginal train --engine pytorch` and `marginal dataset`: what torch cannot honour is refused
/// with one line and exit status 2 before anything is written or started.
@Suite final class PyTorchLaunchCommandTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("torch-launch") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    @Test(arguments: [
        (["--processes", "2"], "--processes: only with --engine pytorch"),
        (["--python", "python3"], "--python: only with --engine pytorch"),
        (["--engine", "pytorch", "--resume", "--run", "x"], "--resume with --engine pytorch"),
        (["--engine", "pytorch", "--seeds", "1,2"], "--seeds with --engine pytorch"),
        (["--engine", "pytorch", "--processes", "0"], "--processes 0: must be 1 to 64"),
        (["--engine", "pytorch", "--processes", "3", "--batch", "8"], "--batch 8 with --processes 3"),
        (["--engine", "pytorch", "--loss", "dice1", "--dataset", "organ"], "loss dice1 is binary only"),
        (["--engine", "tensorflow"], "one of 'marginal' and 'pytorch'"),
    ])
    func refusedInOneLine(_ options: [String], _ message: String) throws {
        let result = try MarginalProcess.run(["train"] + options, in: folder)
        #expect(result.status == 2 && result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written")
    }

    @Test func datasetListAndExportRefusals() throws {
        let list = try MarginalProcess.run(["dataset", "list"], in: folder)
        #expect(list.status == 0 && list.standardOutput.contains("lesions   K = 2") && list.standardOutput.contains("classes: road, building"), "\(list.standardOutput)")
        for (arguments, message) in [(["--dataset", "folder:x", "--out", "d"], "already a folder set"),
                                     (["--dataset", "lesions", "--out", "no/d"], "--out no/d: the folder"),
                                     (["--dataset", "lesions", "--size", "30", "--out", "d"], "size 30: must be a multiple of 4")] {
            let result = try MarginalProcess.run(["dataset", "export"] + arguments, in: folder)
            #expect(result.status == 2 && result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardError.contains(message), "\(result.standardError)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing written")
        let help = try MarginalProcess.run(["train", "--help"], in: folder).standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("values: marginal, pytorch") && help.contains("torchrun --nproc-per-node N"), "\(help)")
    }
}
