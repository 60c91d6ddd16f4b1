import Foundation
import MarginalCore
import MarginalDatasets
import Testing
import TestSupport
@testable import MarginalRuns

/// The run folder's JSON: typed in the code, the same strings on disk as before, so folders
/// written by earlier versions still read.
@Suite struct RunDataTests {
    func decode<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    func encode<Value: Encodable>(_ value: Value) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
    }

    @Test func statusWordsAreTheRunFolderFormat() throws {
        #expect(RunState.allCases.map(\.rawValue) == ["running", "done", "stopped", "failed"])
        for state in RunState.allCases {
            let status = RunStatus(status: state, pid: state == .running ? 42 : nil, step: 7, error: state == .failed ? "disk full" : nil)
            #expect(try encode(status)["status"] as? String == state.rawValue)
            #expect(try JSONDecoder().decode(RunStatus.self, from: JSONEncoder().encode(status)) == status)
        }
    }

    /// `status.json` as the trainer wrote it before the status was typed (pretty-printed, sorted keys).
    @Test func oldStatusFilesRead() throws {
        #expect(try decode(RunStatus.self, "{\n  \"pid\" : 4242,\n  \"status\" : \"running\",\n  \"step\" : 0\n}\n")
            == RunStatus(status: .running, pid: 4242, step: 0))
        #expect(try decode(RunStatus.self, "{\"status\": \"stopped\", \"step\": 120}") == RunStatus(status: .stopped, step: 120))
        #expect(try decode(RunStatus.self, "{\"error\": \"x.png: missing\", \"status\": \"failed\", \"step\": 3}")
            == RunStatus(status: .failed, step: 3, error: "x.png: missing"))
        // A word marginal never writes reads as failed, and says what it was.
        let odd = try decode(RunStatus.self, "{\"status\": \"paused\", \"step\": 3}")
        #expect(odd.status == .failed && odd.error == "status 'paused' is not one marginal writes")
    }

    /// `config.json` as today's fixtures (and the trainer before the types) write it.
    @Test func oldConfigurationFilesRead() throws {
        let text = """
        {"batch": 8, "class_names": ["background", "organ", "tumour"], "dataset": "organ", "eval_every": 10, "lambda": 0.5, \
        "loss": "ce_l1", "lr": 0.001, "optimizer": "sgd", "patience": 5, "seed": 1, "size": 32, "steps": 100, "tau": 10, \
        "threads": 1, "width": 8}
        """
        let configuration = try decode(RunConfiguration.self, text)
        #expect(configuration.dataset == .synthetic(.organ) && configuration.loss == .ceL1 && configuration.optimizer == .sgd)
        #expect(configuration.lambda == 0.5 && configuration.classNames == ["background", "organ", "tumour"])
        let written = try encode(configuration)
        let original = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        #expect(Set(written.keys) == Set(original.keys))
        for key in ["dataset", "loss", "optimizer"] { #expect(written[key] as? String == original[key] as? String, "\(key)") }

        let folder = try decode(RunConfiguration.self, text.replacingOccurrences(of: "\"organ\", \"eval", with: "\"folder:/data/my set\", \"eval"))
        #expect(try folder.dataset == .folder("/data/my set") && encode(folder)["dataset"] as? String == "folder:/data/my set")
        #expect(throws: (any Error).self) { try decode(RunConfiguration.self, text.replacingOccurrences(of: "\"ce_l1\"", with: "\"dice2\"")) }
    }

    /// Issue 16, item 4: a folder dataset is never resized, so its `config.json` has no `size`
    /// (it recorded 64, the unused default); one without `size` reads, as does a synthetic one with it.
    @Test func folderConfigurationsRecordNoSize() throws {
        let folder = RunConfiguration(dataset: .folder("/data/x"), loss: .ce, lambda: nil, tau: 1, steps: 10, batch: 2,
                                      learningRate: 1e-3, optimizer: .adam, seed: 1, size: 64, width: 8, evalEvery: 5, threads: 1)
        let written = try encode(folder)
        #expect(written["size"] == nil && written["dataset"] as? String == "folder:/data/x")
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: JSONEncoder().encode(folder)) == folder)
        var synthetic = folder
        synthetic.dataset = .synthetic(.lesions)
        synthetic.size = 32
        #expect(try encode(synthetic)["size"] as? Int == 32)
        #expect(try JSONDecoder().decode(RunConfiguration.self, from: JSONEncoder().encode(synthetic)) == synthetic)
    }

    /// A folder of 18 x 16 images (width x height): the multiple-of-4 message gives width x
    /// height, as every other size message does (issue 16, item 4).
    @Test func sidesThatAreNotMultiplesOfFourAreGivenWidthByHeight() throws {
        let root = try makeTemporaryFolder("folder-18x16")
        for sub in ["images", "masks"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(sub), withIntermediateDirectories: false)
        }
        for index in 0 ..< 3 {
            try PNGImage(width: 18, height: 16, format: .gray, pixels: [UInt8](repeating: 90, count: 18 * 16))
                .write(to: root.appendingPathComponent("images/\(index).png").path)
            try PNGImage.labelMap((0 ..< 18 * 16).map { UInt8($0 % 2) }, width: 18, height: 16)
                .write(to: root.appendingPathComponent("masks/\(index).png").path)
        }
        let configuration = RunConfiguration(dataset: .folder(root.path), loss: .ce, lambda: nil, tau: 1, steps: 1, batch: 1,
                                             learningRate: 1e-3, optimizer: .adam, seed: 1, size: 64, width: 8, evalEvery: 1, threads: 1)
        #expect(throws: MarginalError("folder:\(root.path): images are 18 x 16 (width x height); UNet-S needs sides that are multiples of 4")) {
            _ = try configuration.validated()
        }
    }

    /// A whole run folder written by hand in today's format reads, typed.
    @Test func oldRunFolderReads() throws {
        let runs = try makeTemporaryFolder("old-run")
        let fixture = try RunFixture(runsFolder: runs, name: "old", dataset: "lesions", loss: "ce_kl", classes: ["background", "lesion"])
        try fixture.status("done", step: 100)
        try fixture.append(RunFixture.trainLine(step: 10, time: 1, loss: 0.5, ce: 0.4))
        let record = try RunRecord(RunDirectory(runsFolder: runs, name: "old"))
        #expect(record.state == .done && record.status == RunStatus(status: .done, step: 100))
        #expect(record.configuration.dataset == .synthetic(.lesions) && record.configuration.loss == .ceKL)
        #expect(record.lambda == 0.1 && record.trainerPID == nil)
    }

    @Test func datasetNamesComeFromTheRegistry() {
        #expect(DatasetName.choices == ["lesions", "organ", "street", "fashion", "folder:PATH"])
        for choice in DatasetEntry.all { #expect(DatasetName(choice.name.description) == choice.name) }
        #expect(DatasetName("folder:x/y") == .folder("x/y") && DatasetName("mnist") == nil)
        #expect(RunFile.allCases.map(\.rawValue).count == Set(RunFile.allCases.map(\.rawValue)).count)
    }
}
