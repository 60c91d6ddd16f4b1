import Foundation

/// Writes `data` to `url` so that a reader never sees a half-written file: the bytes go to a
/// hidden temporary file in the same folder, which is then renamed over `url` (rename is atomic
/// within one file system). On failure nothing is left behind.
public func writeAtomically(_ data: Data, to url: URL) throws(MarginalError) {
    let folder = url.deletingLastPathComponent()
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
        throw MarginalError("\(url.path): the folder \(folder.path) does not exist")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
    do {
        try data.write(to: temporary)
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw MarginalError("\(url.path): cannot write (\(describeWriteFailure(error)))")
    }
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw MarginalError("\(url.path): cannot write (\(reason))")
    }
}

private func describeWriteFailure(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    return nsError.localizedDescription
}
