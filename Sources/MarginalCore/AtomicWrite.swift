import Foundation

/// Writes `data` to `url` so that a reader never sees a half-written file: the bytes go to a
/// hidden temporary file in the same folder (POSIX `open`/`write`/`close`, so that a failure
/// keeps its errno), which is then renamed over `url` (rename is atomic within one file
/// system). On failure nothing is left behind and the file at `url`, if any, is untouched; the
/// error names the errno ("No space left on device, ENOSPC").
public func writeAtomically(_ data: Data, to url: URL) throws(MarginalError) {
    let folder = url.deletingLastPathComponent()
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
        throw MarginalError("\(url.path): the folder \(folder.path) does not exist")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
    func fail(_ code: Int32) -> MarginalError {
        unlink(temporary.path)
        return MarginalError("\(url.path): cannot write (\(describeErrno(code)))")
    }
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw fail(errno) }
    let written: Int32 = data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += count
        }
        return 0
    }
    // close reports a failure some file systems (NFS) only find at the end.
    let closed = close(descriptor) == 0 ? 0 : errno
    if written != 0 { throw fail(written) }
    if closed != 0 { throw fail(closed) }
    if rename(temporary.path, url.path) != 0 { throw fail(errno) }
}

/// "No space left on device, ENOSPC": strerror's text and, for the errors a write meets, the
/// errno's name, so that a status file or a log can be searched for it.
public func describeErrno(_ code: Int32) -> String {
    let names: [Int32: String] = [ENOSPC: "ENOSPC", EDQUOT: "EDQUOT", EACCES: "EACCES", EROFS: "EROFS", EIO: "EIO",
                                  ENOENT: "ENOENT", EFBIG: "EFBIG", EISDIR: "EISDIR", ENOTDIR: "ENOTDIR", EPERM: "EPERM"]
    let text = String(cString: strerror(code))
    return names[code].map { "\(text), \($0)" } ?? text
}
