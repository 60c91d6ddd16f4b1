import Foundation

/// The one Python the tests run: `.venv/bin/python` in the package root, which
/// Scripts/install-dependencies.sh makes with torch, tensorboard and python/ (marginal_torch);
/// `python3` on PATH where there is no `.venv`. Its scripts import the working tree's
/// `python/marginal_torch` (PYTHONPATH), not an installed copy.
public enum ProjectPython {
    /// The package root: two folders above this file (Tests/TestSupport/).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `.venv/bin/python` when it exists, else nil (then `python3` on PATH is run).
    public static var virtualEnvironment: URL? {
        let python = packageRoot.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
    }

    /// How the interpreter is named in a failure: its path, or "python3 on PATH".
    public static var name: String { virtualEnvironment?.path ?? "python3 on PATH (no .venv)" }

    /// The fix to print when a module is missing.
    public static let installHint = "run Scripts/install-dependencies.sh (it makes .venv with torch and tensorboard)"

    public struct Result: Sendable {
        public let status: Int32
        public let output: String
        public let error: String
    }

    /// A process of the interpreter with `arguments`, `python/` on its module path, not started.
    public static func process(_ arguments: [String]) -> Process {
        let process = Process()
        if let python = virtualEnvironment {
            process.executableURL = python
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        let module = packageRoot.appendingPathComponent("python").path
        environment["PYTHONPATH"] = [module, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        process.environment = environment
        return process
    }

    /// Runs the interpreter with `arguments` (see `process`) in `folder`; waits for the end.
    public static func run(_ arguments: [String], in folder: URL? = nil) throws -> Result {
        let process = process(arguments)
        if let folder { process.currentDirectoryURL = folder }
        let (status, output, error) = try MarginalProcess.runToEnd(process)
        return Result(status: status, output: output, error: error)
    }

    /// Nil when every module imports, else one line naming the interpreter, the modules and the fix.
    public static func missingModules(_ modules: [String]) -> String? {
        let result = try? run(["-c", "import " + modules.joined(separator: ", ")])
        guard result?.status != 0 else { return nil }
        return "\(name) cannot import \(modules.joined(separator: ", ")): \(installHint)"
    }
}
