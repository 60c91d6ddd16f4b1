import Foundation
import Testing
import MarginalCore
import MarginalDatasets
import MarginalEngine
import TestSupport

/// python/examples/train_unet.py trains "the same network on the same data": these tests hold the
/// PyTorch side (marginal_torch.UNetS, FolderDataset, BatchOrder) to MarginalEngine's and
/// MarginalDatasets' own, run with the project's Python (`ProjectPython`; without torch they fail
/// with the fix to apply, never skip).
@Suite(.serialized) final class TorchParityTests {
    let folder: URL
    init() throws { folder = try makeTemporaryFolder("torch-parity") }
    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The JSON object a Python snippet prints (with `python/` on its path).
    func python(_ code: String) throws -> [String: Any] {
        let missing = ProjectPython.missingModules(["torch", "numpy"])
        try #require(missing == nil, Comment(rawValue: missing ?? ""))
        let result = try ProjectPython.run(["-c", code], in: folder)
        try #require(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        return try #require(object, "not a JSON object: \(result.output.prefix(200))")
    }

    /// UNetS(1, 3, 4, seed 7) in PyTorch has marginal's initial weights, bit for bit (the same
    /// SplitMix64 stream, He normal by Box–Muller in Double rounded to Float), and gives the same
    /// logits on the same images (float32 sums in another order: to 1e-5 of the largest).
    @Test func unetSHasMarginalsWeightsAndLogits() throws {
        let output = try python("""
            import json, torch
            from marginal_torch.unet import UNetS
            model = UNetS(1, 3, 4, seed=7)
            images = torch.randn(2, 1, 8, 8, generator=torch.Generator().manual_seed(0))
            print(json.dumps({"weights": {k: v.flatten().tolist() for k, v in model.state_dict().items()},
                              "images": images.flatten().tolist(), "logits": model(images).flatten().tolist()}))
            """)
        let weights = try #require(output["weights"] as? [String: [Double]])
        let model = UNetS<Float>(inputChannels: 1, classes: 3, width: 4, seed: 7)
        #expect(Set(weights.keys) == Set(model.parameters.entries.map(\.name)))
        for entry in model.parameters.entries {
            let torch = try #require(weights[entry.name]).map(Float.init)
            let swift = Array(model.parameters.values[entry.range])
            #expect(torch.count == swift.count, "\(entry.name)")
            let differing = zip(torch, swift).filter { $0 != $1 }.count
            #expect(differing == 0, "\(entry.name): \(differing) of \(swift.count) initial weights differ")
        }
        let images = try #require(output["images"] as? [Double]).map(Float.init)
        let expected = try #require(output["logits"] as? [Double])
        let logits = model.forward(Tensor(shape: [2, 1, 8, 8], values: images)).values.map(Double.init)
        #expect(logits.count == expected.count && logits.count == 2 * 3 * 64)
        let scale = expected.map(abs).max() ?? 1
        let worst = zip(logits, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-5 * scale, "logits differ by \(worst) (largest \(scale))")
    }

    /// marginal_torch.FolderDataset reads a folder:PATH set as FolderDataset.load does: the same
    /// split (seed 5, 13 pairs: 2 test, 2 validation, 9 train), the same standardised images and
    /// masks; and BatchOrder gives the same indices step after step, across epochs.
    @Test func folderSetSplitsImagesAndBatchOrderAreMarginals() throws {
        let path = folder.appendingPathComponent("set").path
        let output = try python("""
            import json, os, torch
            from marginal_torch.folder import FolderDataset
            from marginal_torch.png import gray_png, palette_png
            from marginal_torch.seeded import BatchOrder
            path = \(String(reflecting: path))
            g = torch.Generator().manual_seed(1)
            for sub in ("images", "masks"):
                os.makedirs(os.path.join(path, sub))
            for i in range(13):
                image = torch.randint(0, 256, (8, 12), generator=g)
                mask = torch.randint(0, 3, (8, 12), generator=g)
                mask[0, i % 12] = 255
                open(os.path.join(path, "images", f"p{i}.png"), "wb").write(gray_png(image.tolist()))
                open(os.path.join(path, "masks", f"p{i}.png"), "wb").write(palette_png(mask.tolist()))
            data = FolderDataset(path, seed=5)
            splits = {s: getattr(data, s) for s in ("train", "validation", "test")}
            order = BatchOrder(len(data.train), 4, 5)
            print(json.dumps({"names": {s: v.names for s, v in splits.items()},
                              "images": {s: v.images.flatten().tolist() for s, v in splits.items()},
                              "masks": {s: v.masks.flatten().tolist() for s, v in splits.items()},
                              "classes": data.classes, "order": [order.indices(n) for n in range(1, 11)]}))
            """)
        let dataset = try FolderDataset.load(path: path, seed: 5)
        #expect(output["classes"] as? Int == dataset.classes)
        let names = try #require(output["names"] as? [String: [String]])
        let images = try #require(output["images"] as? [String: [Double]])
        let masks = try #require(output["masks"] as? [String: [Int]])
        for (key, split) in [("train", dataset.train), ("validation", dataset.validation), ("test", dataset.test)] {
            #expect(names[key] == split.names, "\(key) split")
            let swiftImages = split.flatMap(\.image).map(Double.init), swiftMasks = split.flatMap(\.mask).map(Int.init)
            #expect(masks[key] == swiftMasks, "\(key) masks")
            let torchImages = images[key] ?? []
            #expect(torchImages.count == swiftImages.count && zip(torchImages, swiftImages).allSatisfy { abs($0 - $1) <= 1e-6 },
                    "\(key) images")
        }
        let sizes: [Int] = [dataset.train.count, dataset.validation.count, dataset.test.count]
        #expect(sizes == [9, 2, 2])
        let order = BatchOrder(sampleCount: dataset.train.count, batchSize: 4, seed: 5)
        #expect(output["order"] as? [[Int]] == (1 ... 10).map { order.indices(forStep: $0) })
    }
}
