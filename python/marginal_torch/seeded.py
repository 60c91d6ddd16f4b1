"""marginal's seeded random numbers (MarginalCore's SeededRandom, SplitMix64), so that the PyTorch
side draws what the Swift side draws from a seed: UNet-S's initial weights, a folder set's split,
the batch order of each epoch. Integers are Python ints masked to 64 bits; `normals` computes a
whole stream at once with numpy (SplitMix64's i-th output depends on i alone)."""
import math

import numpy as np

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix(value):
    """SplitMix64's finaliser of `value` (after the γ step, as Swift's `sampleSeed`'s `mix`)."""
    z = (value + GAMMA) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class SeededRandom:
    """SplitMix64: state += γ, then the finaliser (Sources/MarginalCore/SeededRandom.swift)."""

    def __init__(self, seed):
        self.state = int(seed) & MASK

    def next(self):
        value = self.state
        self.state = (self.state + GAMMA) & MASK
        return mix(value)

    def uniform(self, low=0.0, high=1.0):
        """In [low, high), from the top 53 bits."""
        return low + (high - low) * (self.next() >> 11) / float(1 << 53)

    def normal(self):
        """One of a Box–Muller pair: √(−2 log(1 − u)) · cos(2π v)."""
        u, v = self.uniform(), self.uniform()
        return math.sqrt(-2 * math.log(1 - u)) * math.cos(2 * math.pi * v)

    def normals(self, count):
        """`count` calls of `normal()` at once (float64), the state advanced past them."""
        index = np.arange(2 * count, dtype=np.uint64)
        with np.errstate(over="ignore"):
            z = np.uint64(self.state) + index * np.uint64(GAMMA) + np.uint64(GAMMA)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        uniforms = (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)
        self.state = (self.state + 2 * count * GAMMA) & MASK
        u, v = uniforms[0::2], uniforms[1::2]
        return np.sqrt(-2 * np.log(1 - u)) * np.cos(2 * np.pi * v)

    def shuffle(self, items):
        """Fisher–Yates from the last index down, as Swift's loops `order.swapAt(i, next() % (i + 1))`."""
        for i in range(len(items) - 1, 0, -1):
            j = self.next() % (i + 1)
            items[i], items[j] = items[j], items[i]
        return items


SPLIT_CODES = {"train": 1, "validation": 2, "test": 3}


def sample_seed(seed, salt, split, index):
    """MarginalDatasets' sampleSeed: mix(mix(mix(mix(seed) ^ salt) ^ split code) ^ index)."""
    return mix(mix(mix(mix(int(seed) & MASK) ^ salt) ^ SPLIT_CODES[split]) ^ int(index))


class BatchOrder:
    """MarginalDatasets' BatchOrder: a seeded permutation of the training samples per epoch, read
    in slices of `batch` that run on across epochs; step n (from 1) takes positions
    (n − 1)·batch … n·batch − 1 of that endless sequence."""

    def __init__(self, sample_count, batch, seed):
        if sample_count <= 0 or batch <= 0:
            raise ValueError("a batch order needs samples and a batch size")
        self.sample_count, self.batch, self.seed = sample_count, batch, int(seed)
        self._cached = (None, None)

    def permutation(self, epoch):
        if self._cached[0] != epoch:
            random = SeededRandom((self.seed + 0xE90C + epoch * 7919) & MASK)
            self._cached = (epoch, random.shuffle(list(range(self.sample_count))))
        return self._cached[1]

    def indices(self, step):
        if step < 1:
            raise ValueError("steps count from 1")
        result = []
        for j in range(self.batch):
            epoch, offset = divmod((step - 1) * self.batch + j, self.sample_count)
            result.append(self.permutation(epoch)[offset])
        return result
