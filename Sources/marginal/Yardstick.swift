import ArgumentParser
import Foundation
import MarginalCore

/// The PyTorch yardstick of `bench loss` and `bench train-step`: the Python to run it with, and
/// the script. The scripts ship in the package (`Scripts/bench/`) and are found from the
/// executable, so marginal never reads a folder outside its own tree.
struct YardstickOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Python with torch installed (a path, or a name such as python3 looked up on PATH): also run the PyTorch yardstick and print the ratio.", valueName: "PYTHON"))
    var python: String?

    @Option(help: ArgumentHelp("The yardstick script (default: Scripts/bench/loss_torch.py for bench loss, Scripts/bench/unet_s_torch.py for bench train-step, in the package marginal was built from).", valueName: "PATH"))
    var yardstick: String?

    /// The Python and script to run, checked before any timing (so a bad `--python` costs no
    /// wait): `--yardstick`, else the packaged script `name`; nil without --python.
    func resolved(_ name: String) throws(MarginalError) -> Yardstick? {
        guard let python else { return nil }
        let script = if let yardstick { yardstick } else { try packagedYardstick(name) }
        guard FileManager.default.fileExists(atPath: script) else {
            throw MarginalError("\(script): no such yardstick script (give --yardstick PATH)")
        }
        return Yardstick(python: try pythonExecutable(python), script: script)
    }
}

/// A yardstick ready to run: the Python executable and the script.
struct Yardstick {
    static let notRun = "(no --python given: the PyTorch yardstick was not run)"

    let python: String
    let script: String

    /// Runs the script, prints its last line after "yardstick: " and returns it.
    func run(arguments: [String] = []) throws(MarginalError) -> String {
        let line = try runYardstick(python: python, script: script, arguments: arguments)
        print("yardstick: " + line)
        return line
    }
}

/// `Scripts/bench/NAME` in the package that built the running executable (`packagedFile`).
/// An installed copy may keep them in `<prefix>/share/marginal/bench/`.
func packagedYardstick(_ name: String) throws(MarginalError) -> String {
    if let found = packagedFile(["Scripts/bench/" + name, "share/marginal/bench/" + name]) { return found }
    throw MarginalError("yardstick \(name): not found in Scripts/bench above \(runningExecutable) (give --yardstick PATH)")
}

/// `--python` as given when it names a path (it has a `/`), else the first executable of that
/// name on PATH, as a shell finds it.
func pythonExecutable(_ python: String) throws(MarginalError) -> String {
    if python.contains("/") { return python }
    if let found = executableOnPath(python) { return found }
    throw MarginalError("--python \(python): not found on PATH")
}

/// Runs a yardstick script and returns its last line of output.
func runYardstick(python: String, script: String, arguments: [String] = []) throws(MarginalError) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    do { try process.run() } catch { throw MarginalError("--python \(python): cannot run it") }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0 else {
        throw MarginalError("\(script) failed (exit \(process.terminationStatus)): \(text.split(separator: "\n").last ?? "")")
    }
    return String(text.split(separator: "\n").last ?? "")
}
