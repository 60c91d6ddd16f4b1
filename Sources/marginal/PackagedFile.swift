import Foundation

/// How marginal finds the files it ships beside its sources (the PyTorch yardsticks, the PyTorch
/// example, the project's `.venv`), one way for all of them: from the running executable up. SwiftPM
/// puts it in `<package>/.build/<triple>/<configuration>/`, so the package's folder is above it;
/// marginal never looks in the current folder for them.

/// The running executable, symbolic links resolved.
var runningExecutable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

/// The first of `places` (paths relative to a folder) found readable in the executable's folder
/// or a folder above it, nearest first.
func packagedFile(_ places: [String], executable: Bool = false) -> String? {
    var folder = URL(fileURLWithPath: runningExecutable).resolvingSymlinksInPath().deletingLastPathComponent()
    while true {
        for place in places {
            let candidate = folder.appendingPathComponent(place).path
            if executable ? FileManager.default.isExecutableFile(atPath: candidate) : FileManager.default.isReadableFile(atPath: candidate) {
                return candidate
            }
        }
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { return nil }
        folder = parent
    }
}

/// The first executable called `name` on PATH, as a shell finds it.
func executableOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":", omittingEmptySubsequences: false) {
        let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
