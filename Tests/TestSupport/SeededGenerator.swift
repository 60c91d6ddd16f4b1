import MarginalCore

/// The tests draw from the same seeded generator as the rest of marginal.
public typealias SeededGenerator = SeededRandom
