"""MarginalEngine's ReduceOnPlateau (Sources/MarginalEngine/ReduceOnPlateau.swift): after
`patience` evaluations in a row without a validation loss below best · (1 − threshold), the
learning rate is multiplied by `factor` and the count starts again. PyTorch's ReduceLROnPlateau
(mode "min", threshold_mode "rel") but counted as the paper's retinal setting says; `state()` is
the Swift value's JSON (checkpoint.json's "plateau")."""
import math


class ReduceOnPlateau:
    def __init__(self, patience, factor=0.5, threshold=1e-4):
        if patience < 1:
            raise ValueError(f"patience {patience}: must be ≥ 1")
        self.patience, self.factor, self.threshold = int(patience), float(factor), float(threshold)
        self.best = None
        self.evaluations_without_improvement = 0

    def record(self, validation_loss):
        """Records one evaluation; returns the factor for the learning rate (1 or `factor`)."""
        if self.best is not None and not validation_loss < self.best * (1 - self.threshold):
            self.evaluations_without_improvement += 1
            if self.evaluations_without_improvement >= self.patience:
                self.evaluations_without_improvement = 0
                return self.factor
            return 1.0
        if not math.isnan(validation_loss):
            self.best = float(validation_loss)
        self.evaluations_without_improvement = 0
        return 1.0

    def state(self):
        value = {"patience": self.patience, "factor": self.factor, "threshold": self.threshold,
                 "evaluationsWithoutImprovement": self.evaluations_without_improvement}
        if self.best is not None:
            value["best"] = self.best
        return value
