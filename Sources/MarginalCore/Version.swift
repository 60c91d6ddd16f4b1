/// marginal's version, the one place it is written: `marginal --version` prints it, and a run's
/// files may record it. Semantic versioning; raise it with every release.
public let marginalVersion = "0.1.0"
