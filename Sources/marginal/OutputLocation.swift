import Foundation
import MarginalCore

/// The one rule for every output a user names (docs/CONVENTIONS.md, "Outputs"): marginal creates
/// the file or folder named, never the folders above it, so a mistyped path is refused instead
/// of growing a new tree. `--out FILE` needs FILE's folder (`writeAtomically` checks it);
/// `--grad-dir DIR` is created if missing, and needs DIR's parent.
///
/// Checks an output folder before any work is done; throws one line naming the option.
func checkOutputFolder(_ path: String, option: String) throws(MarginalError) {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) {
        guard isFolder.boolValue else { throw MarginalError("\(option) \(path): is a file, not a folder") }
        return
    }
    let parent = url.deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isFolder), isFolder.boolValue else {
        throw MarginalError("\(option) \(path): the folder \(parent.path) does not exist (marginal creates the folder named, not the ones above it)")
    }
}

/// Makes the output folder `path` (its parent exists, by `checkOutputFolder`); nothing above it.
func makeOutputFolder(_ url: URL, option: String) throws(MarginalError) {
    try checkOutputFolder(url.path, option: option)
    do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    } catch {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue { return }
        throw MarginalError("\(option) \(url.path): cannot create the folder (\((error as NSError).localizedDescription))")
    }
}

/// An output folder that must be new or empty (`dataset export --out`): `checkOutputFolder`, and
/// a folder already holding files is refused rather than mixed into.
func checkEmptyOutputFolder(_ path: String, option: String) throws(MarginalError) {
    try checkOutputFolder(path, option: option)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    guard entries.isEmpty else {
        throw MarginalError("\(option) \(path): the folder is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); name a new or empty folder")
    }
}
